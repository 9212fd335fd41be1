package meetup

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/sourcetest"
)

const token = "meetup-t0ken-for-tests"

var (
	env    = map[string]string{"TALLY_MEETUP_TOKEN": token}
	london = time.FixedZone("BST", 3600)
	berlin = time.FixedZone("CEST", 2*3600)
)

// small is a data set with one of everything.
func small() map[string][]fakeEvent {
	return map[string][]fakeEvent{
		"acme-london": {
			{ID: "301000001", Title: "Lightning talks", Status: "PAST", At: time.Date(2026, 10, 1, 2, 0, 0, 0, london), Hosts: []string{"111", "222"}},
			{ID: "301000002", Title: "Workshop", Status: "PAST", At: time.Date(2026, 10, 8, 19, 0, 0, 0, london), Hosts: []string{"222"}},
			{ID: "301000003", Title: "Called off", Status: "CANCELLED", At: time.Date(2026, 10, 15, 19, 0, 0, 0, london), Hosts: []string{"111"}},
			{ID: "301000004", Title: "Next month", Status: "ACTIVE", At: time.Date(2026, 11, 19, 19, 0, 0, 0, time.UTC), Hosts: []string{"111"}},
			{ID: "301000005", Title: "Nobody hosted", Status: "PAST", At: time.Date(2026, 10, 20, 19, 0, 0, 0, london)},
			{ID: "301000006", Title: "Host gone", Status: "PAST", At: time.Date(2026, 10, 22, 19, 0, 0, 0, london), Hosts: []string{""}},
		},
		"acme-berlin": {
			{ID: "302000001", Title: "Berlin kickoff", Status: "PAST", At: time.Date(2026, 10, 10, 18, 0, 0, 0, berlin), Hosts: []string{"333"}},
		},
	}
}

func newLedger(t testing.TB, groups string) string {
	return sourcetest.Ledger(t, "name: Test\ntimezone: America/Los_Angeles\nleadership: [alice]\nscoring:\n  - from: 2020-01-01\n    kinds:\n      meetup: {weight: 5}\n"+
		"sources:\n  meetup: {groups: ["+groups+"], kind: meetup}\n", map[string]string{
		"people/alice.yaml": "name: Alice\nidentities: {meetup: \"111\"}\n",
	})
}

func ingest(t testing.TB, dir string, f *fakeMeetup, o sourcetest.Options) source.Result {
	t.Helper()
	o.APIURL = f.URL
	if o.Env == nil {
		o.Env = env
	}
	return sourcetest.Ingest(t, dir, Meetup{}, o)
}

const smallCredits = "meetup:301000001/111 meetup:111 meetup 2026-09-30\n" + // 18:00 the day before in Los Angeles
	"meetup:301000001/222 meetup:222 meetup 2026-09-30\n" +
	"meetup:301000002/222 meetup:222 meetup 2026-10-08\n" +
	"meetup:302000001/333 meetup:333 meetup 2026-10-10\n"

func TestCredits(t *testing.T) {
	f := newFakeMeetup(t, token, small())
	dir := newLedger(t, "acme-london, acme-berlin")
	res := ingest(t, dir, f, sourcetest.Options{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := sourcetest.Lines(res.Credits); got != smallCredits {
		t.Errorf("credits:\n%swant:\n%s", got, smallCredits)
	}
	if c := res.Credits[2]; c.URL != "https://www.meetup.com/acme-london/events/301000002/" || c.Title != "Workshop" {
		t.Errorf("credit %+v", c)
	}
	if f.Count() != 2 || res.Streams[0] != (source.StreamReport{Key: "acme-london", What: "4 past events listed", Detail: "1 page", Requests: 1, Complete: true}) {
		t.Errorf("%d requests, streams %+v", f.Count(), res.Streams)
	}
	_, bob := res.Unowned["meetup:222"]
	if _, carol := res.Unowned["meetup:333"]; len(res.Unowned) != 2 || !bob || !carol {
		t.Errorf("unowned %v", res.Unowned)
	}
	state := sourcetest.Read(t, dir, "sources/meetup.yaml")
	if !strings.HasSuffix(state, "streams:\n  acme-london:\n    synced: 2026-10-22T18:00:00Z\n  acme-berlin:\n    synced: 2026-10-10T16:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	if body := f.Requests()[0].Body; !strings.Contains(body, "status: [PAST]") || !strings.Contains(body, `"from":null`) {
		t.Errorf("the first run asked %s", body)
	}

	// A second run asks from the mark, less the lookback, and adds nothing.
	again := ingest(t, dir, f, sourcetest.Options{})
	if again.Err != nil || len(again.Credits) != 0 || again.Present != 1 || again.Written.State || len(again.Written.Shards) != 0 || f.Count() != 4 {
		t.Errorf("second run: %+v, %d requests", again, f.Count())
	}
	if body := f.Requests()[2].Body; !strings.Contains(body, `"from":"2026-10-15T18:00:00Z"`) {
		t.Errorf("the second run asked %s", body)
	}
}

// TestUpcoming: an event that has not happened is not credited, even
// from a server that lists it; its host is credited once it is past.
func TestUpcoming(t *testing.T) {
	f := newFakeMeetup(t, token, small())
	dir := newLedger(t, "acme-london")
	// A server that ignores the status filter lists every event.
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n != 1 {
			return false
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		fmt.Fprint(w, `{"data":{"groupByUrlname":{"urlname":"acme-london","events":{"pageInfo":{"hasNextPage":false,"endCursor":"MzAxMDAwMDA0OjA="},"edges":[`+
			`{"cursor":"MzAxMDAwMDA0OjA=","node":{"id":"301000004","title":"Next month","eventUrl":"https://www.meetup.com/acme-london/events/301000004/","dateTime":"2026-11-19T19:00:00Z","status":"ACTIVE","eventHosts":[{"memberId":"111"}]}},`+
			`{"cursor":"MzAxMDAwMDAzOjA=","node":{"id":"301000003","title":"Called off","eventUrl":"https://www.meetup.com/acme-london/events/301000003/","dateTime":"2026-10-15T19:00:00+01:00","status":"CANCELLED","eventHosts":[{"memberId":"111"}]}}]}}}}`)
		return true
	}
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 0 || res.Written.State {
		t.Errorf("%v, credits:\n%s", res.Err, sourcetest.Lines(res.Credits))
	}
	f.mu.Lock()
	f.groups["acme-london"][3].Status = "PAST"
	f.mu.Unlock()
	res := ingest(t, dir, f, sourcetest.Options{Now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
	if !strings.Contains(sourcetest.Lines(res.Credits), "meetup:301000004/111 meetup:111 meetup 2026-11-19\n") {
		t.Errorf("%v, credits:\n%s", res.Err, sourcetest.Lines(res.Credits))
	}
}

// many are n past events numbered from, one every step from start, each
// hosted by one of ten people.
func many(n, from int, start time.Time, step time.Duration) []fakeEvent {
	var evs []fakeEvent
	for i := range n {
		evs = append(evs, fakeEvent{ID: fmt.Sprint(400000000 + from + i), Title: fmt.Sprintf("Meetup %d", from+i), Status: "PAST",
			At: start.Add(time.Duration(i) * step).In(london), Hosts: []string{fmt.Sprint(500 + (from+i)%10)}})
	}
	return evs
}

func TestPagination(t *testing.T) {
	evs := many(250, 1, time.Date(2026, 1, 1, 18, 0, 0, 0, time.UTC), 24*time.Hour)
	f := newFakeMeetup(t, token, map[string][]fakeEvent{"acme-london": evs})
	res := ingest(t, newLedger(t, "acme-london"), f, sourcetest.Options{})
	if res.Err != nil || len(res.Credits) != 250 || f.Count() != 3 {
		t.Fatalf("%v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
	reqs := f.Requests()
	for i, want := range []string{`"after":null`, `"after":"` + cursorOf(evs[99]) + `"`, `"after":"` + cursorOf(evs[199]) + `"`} {
		if !strings.Contains(reqs[i].Body, want) || !strings.Contains(reqs[i].Body, `"first":100`) {
			t.Errorf("request %d: %s", i+1, reqs[i].Body)
		}
	}
}

// TestRequestCounts measures what the README says a run costs: 1,000
// past events, one a day, then 10 more.
func TestRequestCounts(t *testing.T) {
	f := newFakeMeetup(t, token, map[string][]fakeEvent{"acme-london": many(1000, 1, time.Date(2023, 12, 1, 18, 0, 0, 0, time.UTC), 24*time.Hour)})
	dir := newLedger(t, "acme-london")
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 1000 || f.Count() != 10 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
	f.add("acme-london", many(10, 1001, time.Date(2026, 10, 1, 18, 0, 0, 0, time.UTC), 24*time.Hour)...)
	res := ingest(t, dir, f, sourcetest.Options{})
	// The 10 new, and the 7 of the lookback's week: one page.
	if res.Err != nil || len(res.Credits) != 10 || res.Present != 7 || f.Count() != 10+1 {
		t.Errorf("incremental run: %v, %d credits, %d present, %d requests", res.Err, len(res.Credits), res.Present, f.Count()-10)
	}
}

func TestRateLimits(t *testing.T) {
	clean := newLedger(t, "acme-london, acme-berlin")
	ingest(t, clean, newFakeMeetup(t, token, small()), sourcetest.Options{})
	for name, c := range map[string]struct {
		fail   func(int, http.ResponseWriter) bool
		waited time.Duration
	}{
		"in the errors": {func(n int, w http.ResponseWriter) bool {
			if n == 2 {
				fmt.Fprint(w, `{"errors":[{"message":"Too many requests, please try again shortly.","extensions":{"code":"RATE_LIMITED","resetAt":"2026-11-01T12:00:30Z"}}]}`)
			}
			return n == 2
		}, 30 * time.Second},
		"429": {func(n int, w http.ResponseWriter) bool {
			if n == 2 {
				w.Header().Set("Retry-After", "20")
				w.WriteHeader(http.StatusTooManyRequests)
			}
			return n == 2
		}, 20 * time.Second},
	} {
		f := newFakeMeetup(t, token, small())
		f.fail = c.fail
		dir := newLedger(t, "acme-london, acme-berlin")
		res := ingest(t, dir, f, sourcetest.Options{})
		if res.Err != nil || res.Stats.Waited != c.waited || f.Count() != 3 {
			t.Errorf("%s: %v, waited %s, %d requests", name, res.Err, res.Stats.Waited, f.Count())
		}
		if sourcetest.Written(t, dir) != sourcetest.Written(t, clean) {
			t.Errorf("%s: the run wrote\n%s", name, sourcetest.Written(t, dir))
		}
	}
}

func TestServerError(t *testing.T) {
	f := newFakeMeetup(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return n == 1
	}
	res := ingest(t, newLedger(t, "acme-london, acme-berlin"), f, sourcetest.Options{})
	if res.Err != nil || sourcetest.Lines(res.Credits) != smallCredits || f.Count() != 3 || res.Stats.Waited != time.Second {
		t.Errorf("%v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
	if reqs := f.Requests(); reqs[0].Body != reqs[1].Body {
		t.Errorf("the retry asked %s", reqs[1].Body)
	}
}

// TestInterrupted: a run stopped by --budget (exit 3) and run again
// writes what one clean run writes.
func TestInterrupted(t *testing.T) {
	data := func() map[string][]fakeEvent {
		d := small()
		d["acme-london"] = append(d["acme-london"], many(250, 1, time.Date(2026, 1, 1, 18, 0, 0, 0, time.UTC), 24*time.Hour)...)
		return d
	}
	clean := newLedger(t, "acme-london, acme-berlin")
	if res := ingest(t, clean, newFakeMeetup(t, token, data()), sourcetest.Options{}); res.Err != nil || len(res.Credits) != 254 {
		t.Fatalf("%v, %d credits", res.Err, len(res.Credits))
	}
	f := newFakeMeetup(t, token, data())
	dir := newLedger(t, "acme-london, acme-berlin")
	res := ingest(t, dir, f, sourcetest.Options{Budget: 2})
	var stop *httpc.StoppedError
	if !errors.As(res.Err, &stop) || stop.Reason != "budget" || len(res.Credits) != 200 || strings.Join(res.NotReached, ",") != "acme-berlin" {
		t.Fatalf("stopped run: %v, %d credits, not reached %v", res.Err, len(res.Credits), res.NotReached)
	}
	if state := sourcetest.Read(t, dir, "sources/meetup.yaml"); state != "" {
		t.Errorf("the mark moved before the listing was complete:\n%s", state)
	}
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 54 || res.Present != 200 {
		t.Fatalf("continued run: %v, %d credits", res.Err, len(res.Credits))
	}
	if got, want := sourcetest.Written(t, dir), sourcetest.Written(t, clean); got != want {
		t.Errorf("stopped and continued:\n%s\none run:\n%s", got, want)
	}
}

// TestUntil: --until asks for the events before it, and the mark stays
// there.
func TestUntil(t *testing.T) {
	f := newFakeMeetup(t, token, small())
	dir := newLedger(t, "acme-london")
	until := time.Date(2026, 10, 5, 23, 59, 59, 0, time.UTC)
	res := ingest(t, dir, f, sourcetest.Options{Until: until})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != "meetup:301000001/111 meetup:111 meetup 2026-09-30\nmeetup:301000001/222 meetup:222 meetup 2026-09-30\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
	if body := f.Requests()[0].Body; !strings.Contains(body, `"to":"2026-10-05T23:59:59Z"`) {
		t.Errorf("asked %s", body)
	}
	res = ingest(t, dir, f, sourcetest.Options{})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != "meetup:301000002/222 meetup:222 meetup 2026-10-08\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
}

// TestSecret: the token goes as Meetup takes it, a Bearer token in
// Authorization, to the API's host only, and shows in no message.
func TestSecret(t *testing.T) {
	elsewhere := sourcetest.Elsewhere(t)
	f := newFakeMeetup(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 2 {
			w.Header().Set("Location", elsewhere.URL+"/gql-ext")
			w.WriteHeader(http.StatusPermanentRedirect)
		}
		return n == 2
	}
	res := ingest(t, newLedger(t, "acme-london, acme-berlin"), f, sourcetest.Options{})
	if res.Err == nil || strings.Contains(res.Err.Error(), token) {
		t.Errorf("err = %v", res.Err)
	}
	sourcetest.CheckSecret(t, f.Server, elsewhere, token, "Authorization", "Bearer "+token)
	res = ingest(t, newLedger(t, "acme-london"), f, sourcetest.Options{Env: map[string]string{"TALLY_MEETUP_TOKEN": "old-" + token}})
	if res.Err == nil || res.Err.Error() != "acme-london: Meetup refused TALLY_MEETUP_TOKEN (401 Unauthorized); get a new OAuth access token" {
		t.Errorf("err = %v", res.Err)
	}
}

func TestErrors(t *testing.T) {
	f := newFakeMeetup(t, token, small())
	res := ingest(t, newLedger(t, "acme-nowhere"), f, sourcetest.Options{})
	if res.Err == nil || res.Err.Error() != "acme-nowhere: Meetup has no group of that urlname, or the token may not see it; check sources.meetup.groups" {
		t.Errorf("err = %v", res.Err)
	}
	// Meetup's errors come with a 200 and no data.
	f.fail = func(n int, w http.ResponseWriter) bool {
		fmt.Fprint(w, `{"errors":[{"message":"Variable 'from' has an invalid value: Failed to parse input value 2026-10-01 as ZonedDateTime","locations":[{"line":1,"column":60}],"extensions":{"classification":"ValidationError"}}]}`)
		return true
	}
	res = ingest(t, newLedger(t, "acme-london"), f, sourcetest.Options{})
	if res.Err == nil || res.Err.Error() != "acme-london: the Meetup API refused the query: Variable 'from' has an invalid value: Failed to parse input value 2026-10-01 as ZonedDateTime (ValidationError)" {
		t.Errorf("err = %v", res.Err)
	}
	n := f.Count()
	err := sourcetest.SetupError(t, newLedger(t, "acme-london"), Meetup{}, sourcetest.Options{APIURL: f.URL})
	if err == nil || err.Error() != "sources.meetup: TALLY_MEETUP_TOKEN is not set; Meetup's API answers only with an OAuth access token" || f.Count() != n {
		t.Errorf("err = %v", err)
	}
}

// TestSample reads the recorded page of past events of ../shared/data
// through the connector: its events have no hosts (the recording did not
// ask for them), so nothing is credited, and the mark moves to the last.
func TestSample(t *testing.T) {
	sample, err := os.ReadFile("../../../../shared/data/meetup/gql-ext_groupByUrlname_events_PAST.response.json")
	if err != nil {
		t.Skip("no shared data:", err)
	}
	srv := sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write(sample) })
	dir := sourcetest.Ledger(t, "name: Test\nleadership: [alice]\nscoring:\n  - from: 2019-01-01\n    kinds:\n      meetup: {weight: 5}\nsources:\n  meetup: {groups: [rladies-lagos], kind: meetup}\n", nil)
	res := sourcetest.Ingest(t, dir, Meetup{}, sourcetest.Options{APIURL: srv.URL, Env: env})
	if res.Err != nil || len(res.Credits) != 0 || srv.Count() != 1 || res.Streams[0].What != "3 past events listed" {
		t.Fatalf("%v, %+v", res.Err, res)
	}
	if state := sourcetest.Read(t, dir, "sources/meetup.yaml"); !strings.HasSuffix(state, "synced: 2020-02-22T08:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
}
