package slack

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

const token = "xoxb-t0ken-for-tests"

var env = map[string]string{"TALLY_SLACK_TOKEN": token}

func at(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, time.UTC) }

func check(users ...string) []fakeReaction {
	return []fakeReaction{{Name: "white_check_mark", Users: users}}
}

// small is a workspace with one of everything. alice leads the program,
// bob a team; carol is neither.
func small() map[string][]fakeMessage {
	return map[string][]fakeMessage{
		"C0SUPPORT1": {
			{At: at(5, 10), User: "U0DAVE", Reactions: check("U0ALICE")},
			{At: at(6, 10), User: "U0ERIN", Reactions: check("U0CAROL")},                                            // not a lead
			{At: at(7, 10), User: "U0ALICE", Reactions: check("U0ALICE")},                                           // her own
			{At: at(8, 10), User: "U0ALICE", Reactions: check("U0BOB")},                                             // another lead's
			{At: at(9, 10), User: "U0FRANK", Reactions: []fakeReaction{{Name: "tada", Users: []string{"U0ALICE"}}}}, // another emoji
			{At: at(10, 10), User: "U0GRACE", Reactions: []fakeReaction{{Name: "white_check_mark::skin-tone-3", Users: []string{"U0BOB"}}}},
			{At: at(11, 10), User: "U0APPBOT", BotID: "B0APP", Reactions: check("U0ALICE")},
			{At: at(12, 10), User: "U0HEIDI", Subtype: "channel_join", Reactions: check("U0ALICE")},
			{At: at(13, 10), User: "U0IVAN", Reactions: check("U01", "U02", "U03", "U04", "U05", "U0BOB")}, // bob not listed
			{At: at(13, 11), User: "U0OSCAR", Reactions: check("U01", "U02", "U03", "U04", "U05")},
			{At: at(14, 10), User: "U0JUDY", Replies: []fakeMessage{
				{At: at(14, 11), User: "U0KEN", Reactions: check("U0ALICE")},
				{At: at(14, 12), User: "U0JUDY"},
			}},
			{At: at(31, 16), User: "U0LEO", Reactions: check("U0ALICE")}, // 1 November in Tokyo
		},
		"C0HELP0002": {
			{At: at(20, 10), User: "U0MIA", Reactions: check("U0BOB")},
		},
	}
}

const program = "name: Test\ntimezone: Asia/Tokyo\nleadership: [alice]\nteam_leads:\n  community: [bob]\nscoring:\n  - from: 2020-01-01\n    kinds:\n      chat_help: {weight: 1, area: community}\n"

func newLedger(t testing.TB, channels string) string {
	return sourcetest.Ledger(t, program+"sources:\n  slack: {channels: ["+channels+"], reaction: white_check_mark, kind: chat_help}\n", map[string]string{
		"people/alice.yaml": "name: Alice\nidentities: {slack: U0ALICE}\n",
		"people/bob.yaml":   "name: Bob\nidentities: {slack: U0BOB}\n",
		"people/carol.yaml": "name: Carol\nidentities: {slack: U0CAROL}\n",
	})
}

func ingest(t testing.TB, dir string, f *fakeSlack, o sourcetest.Options) source.Result {
	t.Helper()
	o.APIURL = f.URL
	if o.Env == nil {
		o.Env = env
	}
	return sourcetest.Ingest(t, dir, Slack{}, o)
}

func id(channel string, t time.Time) string { return "slack:" + channel + "/" + tsOf(t) }

func TestCredits(t *testing.T) {
	f := newFakeSlack(t, token, small())
	dir := newLedger(t, "C0SUPPORT1, C0HELP0002")
	res := ingest(t, dir, f, sourcetest.Options{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var want strings.Builder
	for _, c := range []struct {
		channel string
		at      time.Time
		who     string
		date    string
	}{
		{"C0SUPPORT1", at(5, 10), "U0DAVE", "2026-10-05"},
		{"C0SUPPORT1", at(8, 10), "U0ALICE", "2026-10-08"},
		{"C0SUPPORT1", at(10, 10), "U0GRACE", "2026-10-10"},
		{"C0SUPPORT1", at(13, 10), "U0IVAN", "2026-10-13"},
		{"C0SUPPORT1", at(14, 11), "U0KEN", "2026-10-14"},
		{"C0HELP0002", at(20, 10), "U0MIA", "2026-10-20"},
		{"C0SUPPORT1", at(31, 16), "U0LEO", "2026-11-01"},
	} {
		fmt.Fprintf(&want, "%s slack:%s chat_help %s\n", id(c.channel, c.at), c.who, c.date)
	}
	if got := sourcetest.Lines(res.Credits); got != want.String() {
		t.Errorf("credits:\n%swant:\n%s", got, want.String())
	}
	if len(res.Skipped) != 1 || res.Skipped[0].ID != id("C0SUPPORT1", at(11, 10)) || res.Skipped[0].Reason != "bot" {
		t.Errorf("skipped %+v", res.Skipped)
	}
	links := map[string]string{}
	for _, c := range res.Credits {
		links[c.ID] = c.URL
	}
	p := func(t time.Time) string { return strings.ReplaceAll(tsOf(t), ".", "") }
	if got := links[id("C0SUPPORT1", at(5, 10))]; got != "https://acme.slack.com/archives/C0SUPPORT1/p"+p(at(5, 10)) {
		t.Errorf("link %s", got)
	}
	if got := links[id("C0SUPPORT1", at(14, 11))]; got != "https://acme.slack.com/archives/C0SUPPORT1/p"+p(at(14, 11))+"?cid=C0SUPPORT1&thread_ts="+tsOf(at(14, 10)) {
		t.Errorf("link of a reply %s", got)
	}
	if f.Count() != 6 || res.Streams[0] != (source.StreamReport{Key: "C0SUPPORT1", What: "14 messages read", Detail: "history 1, threads 1, reactions 2", Requests: 4, Complete: true}) {
		t.Errorf("%d requests, streams %+v", f.Count(), res.Streams)
	}
	state := sourcetest.Read(t, dir, "sources/slack.yaml")
	if !strings.HasSuffix(state, "streams:\n  C0SUPPORT1:\n    synced: 2026-10-31T16:00:00Z\n  C0HELP0002:\n    synced: 2026-10-20T10:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	if shard := sourcetest.Read(t, dir, "credits/2026/11/slack.yaml"); strings.Contains(shard, "words") || !strings.Contains(shard, "    who: slack:U0LEO\n    kind: chat_help\n    date: 2026-11-01\n") {
		t.Errorf("shard:\n%s", shard)
	}

	// A second run reads the last week before the mark, and adds nothing.
	n := f.Count()
	again := ingest(t, dir, f, sourcetest.Options{})
	if again.Err != nil || len(again.Credits) != 0 || again.Present != 2 || again.Written.State || len(again.Written.Shards) != 0 || f.Count()-n != 3 {
		t.Errorf("second run: %+v, %d requests", again, f.Count()-n)
	}
	if q := f.Requests()[n+1].Query; q != "channel=C0SUPPORT1&limit=200&oldest="+tsOf(at(24, 16)) {
		t.Errorf("the second run asked %s", q)
	}
}

// TestLateReaction: a reaction given after a run, within the lookback,
// is found by the next.
func TestLateReaction(t *testing.T) {
	f := newFakeSlack(t, token, small())
	f.add("C0SUPPORT1", fakeMessage{At: at(30, 10), User: "U0NINA"})
	dir := newLedger(t, "C0SUPPORT1")
	ingest(t, dir, f, sourcetest.Options{})
	f.mu.Lock()
	msgs := f.channels["C0SUPPORT1"]
	msgs[len(msgs)-1].Reactions = check("U0BOB")
	f.mu.Unlock()
	res := ingest(t, dir, f, sourcetest.Options{})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != id("C0SUPPORT1", at(30, 10))+" slack:U0NINA chat_help 2026-10-30\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
}

// many are n messages from start, one every step, by ten people, each
// marked by bob; every tenth is a thread of three replies, the second of
// them marked too.
func many(n int, start time.Time, step time.Duration) []fakeMessage {
	var ms []fakeMessage
	for i := range n {
		m := fakeMessage{At: start.Add(time.Duration(i) * step), User: fmt.Sprintf("U0DEV%d", i%10), Reactions: check("U0BOB")}
		if i%10 == 0 {
			for j := 1; j <= 3; j++ {
				r := fakeMessage{At: m.At.Add(time.Duration(j) * time.Minute), User: fmt.Sprintf("U0DEV%d", (i+j)%10)}
				if j == 2 {
					r.Reactions = check("U0ALICE")
				}
				m.Replies = append(m.Replies, r)
			}
		}
		ms = append(ms, m)
	}
	return ms
}

func TestPagination(t *testing.T) {
	f := newFakeSlack(t, token, map[string][]fakeMessage{"C0SUPPORT1": many(450, at(1, 0), time.Hour)})
	res := ingest(t, newLedger(t, "C0SUPPORT1"), f, sourcetest.Options{})
	if res.Err != nil || len(res.Credits) != 450+45 || res.Streams[0].Detail != "history 3, threads 45, reactions 0" {
		t.Fatalf("%v, %d credits, %+v", res.Err, len(res.Credits), res.Streams)
	}
	reqs := f.Requests()
	for i, want := range []string{"channel=C0SUPPORT1&limit=200", "channel=C0SUPPORT1&cursor=bmV4dF90czoyMDA%3D&limit=200", "channel=C0SUPPORT1&cursor=bmV4dF90czo0MDA%3D&limit=200"} {
		if reqs[i+1].Path != "/api/conversations.history" || reqs[i+1].Query != want {
			t.Errorf("request %d: %s?%s", i+2, reqs[i+1].Path, reqs[i+1].Query)
		}
	}
}

// TestRequestCounts measures what the README says a run costs: 1,000
// messages, ten a day, a hundred of them threads; then 10 more.
func TestRequestCounts(t *testing.T) {
	f := newFakeSlack(t, token, map[string][]fakeMessage{"C0SUPPORT1": many(1000, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), 144*time.Minute)})
	dir := newLedger(t, "C0SUPPORT1")
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 1100 || f.Count() != 1+5+100 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
	last := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC).Add(999 * 144 * time.Minute)
	for i := range 10 {
		f.add("C0SUPPORT1", fakeMessage{At: last.Add(time.Duration(i+1) * time.Hour), User: "U0NEW", Reactions: check("U0BOB")})
	}
	res := ingest(t, dir, f, sourcetest.Options{})
	// The week before the mark holds 70 messages, 7 of them threads.
	if res.Err != nil || len(res.Credits) != 10 || f.Count()-106 != 1+1+7 {
		t.Errorf("incremental run: %v, %d credits, %d requests", res.Err, len(res.Credits), f.Count()-106)
	}
}

func TestRateLimits(t *testing.T) {
	clean := newLedger(t, "C0SUPPORT1, C0HELP0002")
	ingest(t, clean, newFakeSlack(t, token, small()), sourcetest.Options{})
	for name, c := range map[string]struct {
		fail   func(int, http.ResponseWriter) bool
		waited time.Duration
	}{
		"429": {func(n int, w http.ResponseWriter) bool {
			if n == 2 {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
			}
			return n == 2
		}, 30 * time.Second},
		"ok false": {func(n int, w http.ResponseWriter) bool {
			if n == 2 {
				fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
			}
			return n == 2
		}, time.Minute},
	} {
		f := newFakeSlack(t, token, small())
		f.fail = c.fail
		dir := newLedger(t, "C0SUPPORT1, C0HELP0002")
		res := ingest(t, dir, f, sourcetest.Options{})
		if res.Err != nil || res.Stats.Waited != c.waited || f.Count() != 7 {
			t.Errorf("%s: %v, waited %s, %d requests", name, res.Err, res.Stats.Waited, f.Count())
		}
		if sourcetest.Written(t, dir) != sourcetest.Written(t, clean) {
			t.Errorf("%s: the run wrote\n%s", name, sourcetest.Written(t, dir))
		}
	}
	// A wait longer than --max-wait stops the run.
	f := newFakeSlack(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
		return n == 2
	}
	res := ingest(t, newLedger(t, "C0SUPPORT1"), f, sourcetest.Options{MaxWait: time.Minute})
	var stop *httpc.StoppedError
	if !errors.As(res.Err, &stop) || stop.Reason != "rate limit" {
		t.Errorf("err = %v", res.Err)
	}
}

func TestServerError(t *testing.T) {
	f := newFakeSlack(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 2 {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "<html>oops</html>")
		}
		return n == 2
	}
	res := ingest(t, newLedger(t, "C0SUPPORT1, C0HELP0002"), f, sourcetest.Options{})
	if res.Err != nil || len(res.Credits) != 7 || f.Count() != 7 || res.Stats.Waited != time.Second {
		t.Errorf("%v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
}

// TestInterrupted: a run stopped by --budget (exit 3) and run again
// writes what one clean run writes.
func TestInterrupted(t *testing.T) {
	data := func() map[string][]fakeMessage {
		d := small()
		d["C0SUPPORT1"] = append(d["C0SUPPORT1"], many(250, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Hour)...)
		return d
	}
	clean := newLedger(t, "C0SUPPORT1, C0HELP0002")
	if res := ingest(t, clean, newFakeSlack(t, token, data()), sourcetest.Options{}); res.Err != nil || len(res.Credits) != 7+275 {
		t.Fatalf("%v, %d credits", res.Err, len(res.Credits))
	}
	f := newFakeSlack(t, token, data())
	dir := newLedger(t, "C0SUPPORT1, C0HELP0002")
	res := ingest(t, dir, f, sourcetest.Options{Budget: 2})
	var stop *httpc.StoppedError
	if !errors.As(res.Err, &stop) || stop.Reason != "budget" || len(res.Credits) == 0 || strings.Join(res.NotReached, ",") != "C0HELP0002" {
		t.Fatalf("stopped run: %v, %d credits, not reached %v", res.Err, len(res.Credits), res.NotReached)
	}
	if state := sourcetest.Read(t, dir, "sources/slack.yaml"); state != "" {
		t.Errorf("the mark moved before the channel was read:\n%s", state)
	}
	first := len(res.Credits)
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 7+275-first || res.Present != first {
		t.Fatalf("continued run: %v, %d credits", res.Err, len(res.Credits))
	}
	if got, want := sourcetest.Written(t, dir), sourcetest.Written(t, clean); got != want {
		t.Errorf("stopped and continued:\n%s\none run:\n%s", got, want)
	}
}

// TestUntil: --until asks for the messages before it, and the mark stays
// there.
func TestUntil(t *testing.T) {
	f := newFakeSlack(t, token, small())
	dir := newLedger(t, "C0HELP0002, C0SUPPORT1")
	until := at(12, 15)
	res := ingest(t, dir, f, sourcetest.Options{Until: until})
	if res.Err != nil || len(res.Credits) != 3 {
		t.Errorf("%v\n%s", res.Err, sourcetest.Lines(res.Credits))
	}
	if q := f.Requests()[2].Query; q != "channel=C0SUPPORT1&latest="+tsOf(until)+"&limit=200" {
		t.Errorf("asked %s", q)
	}
	if state := sourcetest.Read(t, dir, "sources/slack.yaml"); !strings.HasSuffix(state, "streams:\n  C0SUPPORT1:\n    synced: 2026-10-12T10:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 4 {
		t.Errorf("%v\n%s", res.Err, sourcetest.Lines(res.Credits))
	}
}

// TestSecret: the token goes as Slack takes it, a Bearer token in
// Authorization, to the API's host only, and shows in no message.
func TestSecret(t *testing.T) {
	elsewhere := sourcetest.Elsewhere(t)
	f := newFakeSlack(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 2 {
			w.Header().Set("Location", elsewhere.URL+"/api/conversations.history")
			w.WriteHeader(http.StatusFound)
		}
		return n == 2
	}
	res := ingest(t, newLedger(t, "C0SUPPORT1, C0HELP0002"), f, sourcetest.Options{})
	if res.Err == nil || strings.Contains(res.Err.Error(), token) {
		t.Errorf("err = %v", res.Err)
	}
	sourcetest.CheckSecret(t, f.Server, elsewhere, token, "Authorization", "Bearer "+token)
	res = ingest(t, newLedger(t, "C0SUPPORT1"), f, sourcetest.Options{Env: map[string]string{"TALLY_SLACK_TOKEN": "xoxb-revoked"}})
	if res.Err == nil || res.Err.Error() != "auth.test: Slack refused TALLY_SLACK_TOKEN (invalid_auth); set the token of an installed Slack app" {
		t.Errorf("err = %v", res.Err)
	}
}

func TestErrors(t *testing.T) {
	f := newFakeSlack(t, token, small())
	res := ingest(t, newLedger(t, "C0NOWHERE1"), f, sourcetest.Options{})
	if res.Err == nil || res.Err.Error() != "C0NOWHERE1: conversations.history: no such channel, or the app may not see it (channel_not_found); check sources.slack.channels" {
		t.Errorf("err = %v", res.Err)
	}
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 4 {
			fmt.Fprint(w, `{"ok":false,"error":"missing_scope","needed":"channels:history","provided":"chat:write"}`)
		}
		return n == 4
	}
	res = ingest(t, newLedger(t, "C0SUPPORT1"), f, sourcetest.Options{})
	if res.Err == nil || res.Err.Error() != "C0SUPPORT1: conversations.history: the token lacks the scope channels:history (missing_scope); add it to the app and install it again" {
		t.Errorf("err = %v", res.Err)
	}

	n := f.Count()
	for _, c := range []struct {
		people map[string]string
		env    map[string]string
		want   string
	}{
		{map[string]string{"people/alice.yaml": "name: Alice\nidentities: {github: alice-gh}\n"}, env,
			"program.yaml:11:10: sources.slack: no team lead or member of the leadership has a slack identity, so no reaction can count; add slack: <their member id> to their identities in people/"},
		{map[string]string{"people/alice.yaml": "name: Alice\nidentities: {slack: U0ALICE}\n"}, map[string]string{},
			"sources.slack: TALLY_SLACK_TOKEN is not set; give it the token of a Slack app in the channels (scopes channels:history, groups:history, reactions:read)"},
	} {
		dir := sourcetest.Ledger(t, program+"sources:\n  slack: {channels: [C0SUPPORT1], reaction: white_check_mark, kind: chat_help}\n", c.people)
		err := sourcetest.SetupError(t, dir, Slack{}, sourcetest.Options{APIURL: f.URL, Env: c.env})
		if err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("err = %v, want %s", err, c.want)
		}
	}
	if f.Count() != n {
		t.Error("a setting that is wrong sent a request")
	}
}

// TestSamples reads the samples of ../shared/data through the connector:
// the old docs' history with reactions, and a history recorded by
// Perceval that pages the older way (has_more, no cursor).
func TestSamples(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile("../../../../shared/data/slack/" + name)
		if err != nil {
			t.Skip("no shared data:", err)
		}
		return data
	}
	authTest, reacted := read("openapi_auth.test.200.json"), read("slack-api-docs_channels.history_with_reactions.json")
	first, next := read("perceval_slack_history.json"), read("perceval_slack_history_next.json")
	srv := sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case r.URL.Path == "/api/auth.test":
			w.Write(authTest)
		case q.Get("channel") == "C0DOCS0001":
			w.Write(reacted)
		case q.Get("latest") == "":
			w.Write(first)
		default:
			w.Write(next)
		}
	})
	dir := sourcetest.Ledger(t, "name: Test\nleadership: [lead]\nscoring:\n  - from: 2010-01-01\n    kinds:\n      chat_help: {weight: 1}\n"+
		"sources:\n  slack: {channels: [C0DOCS0001, C0PERCEVAL], reaction: sweet_potato, kind: chat_help}\n",
		map[string]string{"people/lead.yaml": "name: Lead\nidentities: {slack: U4}\n"})
	res := sourcetest.Ingest(t, dir, Slack{}, sourcetest.Options{APIURL: srv.URL, Env: env})
	if res.Err != nil || len(res.Credits) != 1 || srv.Count() != 4 {
		t.Fatalf("%v, %d credits, %d requests", res.Err, len(res.Credits), srv.Count())
	}
	if c := res.Credits[0]; c.ID != "slack:C0DOCS0001/1358546515.000007" || c.Who != "slack:U2147483896" || c.Date.String() != "2013-01-18" ||
		c.URL != "https://subarachnoid.slack.com/archives/C0DOCS0001/p1358546515000007" {
		t.Errorf("credit %+v", c)
	}
	if got := srv.Requests()[3].Query; got != "channel=C0PERCEVAL&latest=1427135733.000068&limit=200" {
		t.Errorf("the next page asked %s", got)
	}
}
