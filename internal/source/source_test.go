package source_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/sourcetest"
)

// fake is a connector for a made-up API: GET /items?after=UNIX lists the
// items updated after a time, oldest first, two a page, with the next
// page's URL in "next".
type fake struct {
	name string
	back time.Duration // read again this long before the mark
}

func (f fake) Name() string { return f.name }

func (fake) Secrets() []source.Secret { return []source.Secret{{Env: "TALLY_FAKE_TOKEN"}} }

func (f fake) Open(s source.Setup) (*source.Job, error) {
	if len(s.Settings) != 1 {
		return nil, errors.New("configure it once")
	}
	own, err := s.URL(s.Settings[0], "url")
	if err != nil {
		return nil, err
	}
	kind, err := s.String(s.Settings[0], "kind", true)
	if err != nil {
		return nil, err
	}
	server, err := s.Server(own)
	if err != nil {
		return nil, err
	}
	key := own.String()
	return &source.Job{
		API: server.String(), Service: "the fake API", Streams: []string{key},
		Credentials: http.Header{"Authorization": {"Token " + s.Secret("TALLY_FAKE_TOKEN")}},
		Fetch: func(ctx context.Context, r *source.Run) error {
			r.Begin(key)
			start := r.Start(key)
			if f.back > 0 {
				start = r.StartBack(key, f.back)
			}
			next := server.JoinPath("items").String() + "?after=" + strconv.FormatInt(start.Unix(), 10)
			read := 0
			for next != "" {
				var page struct {
					Items []struct {
						ID, User, Kind string
						At             time.Time
						Bot            bool
					}
					Next string
				}
				if err := getJSON(ctx, r.Client, next, &page); err != nil {
					return err
				}
				for _, it := range page.Items {
					read++
					r.Found(source.Item{Credit: ledger.Credit{ID: f.name + ":" + it.ID, Who: "fake:" + it.User, Kind: cmpOr(it.Kind, kind)}, At: it.At, Bot: it.Bot})
					r.Synced(key, it.At)
				}
				next = page.Next
			}
			r.Say(fmt.Sprintf("%d items read", read), "")
			return nil
		},
	}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

type fakeItem struct {
	ID, User, Kind string
	At             time.Time
	Bot            bool
}

// fakeAPI serves items, two a page, counting requests.
func fakeAPI(t *testing.T, items []fakeItem) *sourcetest.Server {
	var srv *sourcetest.Server
	srv = sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
		skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
		var page []fakeItem
		for _, it := range items {
			if it.At.Unix() >= after {
				page = append(page, it)
			}
		}
		page = page[min(skip, len(page)):]
		next := ""
		if len(page) > 2 {
			next = fmt.Sprintf("%s/items?after=%d&skip=%d", srv.URL, after, skip+2)
			page = page[:2]
		}
		json.NewEncoder(w).Encode(map[string]any{"items": page, "next": next})
	})
	return srv
}

var base = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func fakeItems() []fakeItem {
	return []fakeItem{
		{ID: "1", User: "alice", At: base},
		{ID: "2", User: "bob", At: base.Add(time.Hour)},
		{ID: "3", User: "", At: base.Add(2 * time.Hour)},                   // a deleted account
		{ID: "4", User: "robot", At: base.Add(3 * time.Hour)},              // a bot person
		{ID: "5", User: "app", At: base.Add(4 * time.Hour), Bot: true},     // a bot account
		{ID: "6", User: "bob", Kind: "other", At: base.Add(5 * time.Hour)}, // a kind not defined
		{ID: "7", User: "bob", At: base.Add(23 * time.Hour)},               // 2 October in Berlin
	}
}

func fakeLedger(t *testing.T, url string) string {
	return sourcetest.Ledger(t, "name: Test\ntimezone: Europe/Berlin\nleadership: [alice]\nscoring:\n  - from: 2026-01-01\n    kinds:\n      thing: {weight: 1}\n"+
		"sources:\n  fake: {url: "+url+", kind: thing}\n", map[string]string{
		"people/alice.yaml": "name: Alice\nidentities: {fake: alice}\n",
		"people/robot.yaml": "name: Robot\nidentities: {fake: robot}\nbot: true\n",
	})
}

func TestIngest(t *testing.T) {
	srv := fakeAPI(t, fakeItems())
	dir := fakeLedger(t, "https://fake.example")
	env := map[string]string{"TALLY_FAKE_TOKEN": "tok-secret"}
	res := sourcetest.Ingest(t, dir, fake{name: "fake"}, sourcetest.Options{APIURL: srv.URL, Env: env})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, c := range res.Credits {
		got = append(got, fmt.Sprintf("%s %s %s %s", c.ID, c.Who, c.Kind, c.Date))
	}
	want := []string{"fake:1 fake:alice thing 2026-10-01", "fake:2 fake:bob thing 2026-10-01", "fake:7 fake:bob thing 2026-10-02"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("credits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.ID+" "+s.Reason)
	}
	if strings.Join(skipped, ",") != "fake:4 bot,fake:5 bot,fake:6 kind" {
		t.Errorf("skipped: %v", skipped)
	}
	if res.Unowned["fake:bob"].Credits != 2 || len(res.Unowned) != 1 {
		t.Errorf("unowned: %v", res.Unowned)
	}
	if len(res.Streams) != 1 || res.Streams[0] != (source.StreamReport{Key: "https://fake.example", What: "7 items read", Requests: 4, Complete: true}) {
		t.Errorf("streams: %+v", res.Streams)
	}
	if w := srv.Where("tok-secret"); strings.Join(w, ",") != "header Authorization" {
		t.Errorf("the secret went to %v", w)
	}
	state := sourcetest.Read(t, dir, "sources/fake.yaml")
	if want := "# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/source.schema.json\nstreams:\n  https://fake.example:\n    synced: 2026-10-02T08:00:00Z\n"; state != want {
		t.Errorf("state:\n%s\nwant:\n%s", state, want)
	}
	shard := sourcetest.Read(t, dir, "credits/2026/10/fake.yaml")
	if !strings.Contains(shard, "  - id: fake:7\n    who: fake:bob\n    kind: thing\n    date: 2026-10-02\n") {
		t.Errorf("shard:\n%s", shard)
	}

	// A second run asks from the mark and adds nothing.
	n := srv.Count()
	again := sourcetest.Ingest(t, dir, fake{name: "fake"}, sourcetest.Options{APIURL: srv.URL, Env: env})
	if again.Err != nil || len(again.Credits) != 0 || again.Present != 1 || again.Written.State || len(again.Written.Shards) != 0 {
		t.Errorf("second run: %+v", again)
	}
	if reqs := srv.Requests()[n:]; len(reqs) != 1 || reqs[0].Query != "after="+strconv.FormatInt(base.Add(23*time.Hour).Unix(), 10) {
		t.Errorf("second run asked %+v", reqs)
	}
}

// TestIngestStopped: a run stopped by the budget writes what it found and
// moves the mark only that far; the next run continues, and together they
// write what one run does.
func TestIngestStopped(t *testing.T) {
	srv := fakeAPI(t, fakeItems())
	dir := fakeLedger(t, "https://fake.example")
	res := sourcetest.Ingest(t, dir, fake{name: "fake"}, sourcetest.Options{APIURL: srv.URL, Budget: 2})
	var stop *httpc.StoppedError
	if !errors.As(res.Err, &stop) || stop.Reason != "budget" || res.Streams[0].Complete || len(res.Credits) != 2 {
		t.Fatalf("stopped run: %+v", res)
	}
	if state := sourcetest.Read(t, dir, "sources/fake.yaml"); !strings.Contains(state, "synced: 2026-10-01T12:00:00Z\n") {
		t.Errorf("state after the stop:\n%s", state)
	}
	res = sourcetest.Ingest(t, dir, fake{name: "fake"}, sourcetest.Options{APIURL: srv.URL})
	if res.Err != nil || len(res.Credits) != 1 {
		t.Errorf("continued run: %+v", res)
	}
}

// TestIngestSinceAfterMark: a --since later than the mark reads from
// there, and leaves the mark where it is: the time between is unread.
func TestIngestSinceAfterMark(t *testing.T) {
	srv := fakeAPI(t, fakeItems())
	dir := fakeLedger(t, "https://fake.example")
	state := "# kept\nstreams:\n  https://fake.example:\n    synced: 2026-09-01T00:00:00Z\n"
	sourcetest.Write(t, dir, "sources/fake.yaml", state)
	res := sourcetest.Ingest(t, dir, fake{name: "fake"}, sourcetest.Options{APIURL: srv.URL, Since: base.Add(time.Hour)})
	if res.Err != nil || len(res.Credits) != 2 || res.Written.State {
		t.Errorf("run: %+v", res)
	}
	if got := sourcetest.Read(t, dir, "sources/fake.yaml"); got != state {
		t.Errorf("state:\n%s", got)
	}
	// A plain run reads from the mark and moves it, keeping the comment.
	sourcetest.Ingest(t, dir, fake{name: "fake"}, sourcetest.Options{APIURL: srv.URL})
	if got := sourcetest.Read(t, dir, "sources/fake.yaml"); got != "# kept\nstreams:\n  https://fake.example:\n    synced: 2026-10-02T08:00:00Z\n" {
		t.Errorf("state:\n%s", got)
	}
}

// TestIngestSeveral: sources run in order; one that fails leaves the
// others to run, a spent budget stops them all.
func TestIngestSeveral(t *testing.T) {
	srv := fakeAPI(t, fakeItems())
	down := sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	dir := sourcetest.Ledger(t, "name: Test\nleadership: [alice]\nscoring:\n  - from: 2026-01-01\n    kinds:\n      thing: {weight: 1}\n"+
		"sources:\n  down: {url: "+down.URL+", kind: thing}\n  fake: {url: "+srv.URL+", kind: thing}\n", nil)
	l, err := source.LoadLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	plan := []source.Planned{{Source: fake{name: "down"}, Settings: l.Program.Sources[:1]}, {Source: fake{name: "fake"}, Settings: l.Program.Sources[1:]}}
	results, err := source.Ingest(context.Background(), source.Options{Dir: dir, Ledger: l}, plan)
	if err != nil || len(results) != 2 || results[0].Err == nil || results[1].Err != nil || len(results[1].Credits) != 4 {
		t.Fatalf("%v %+v", err, results)
	}
	results, err = source.Ingest(context.Background(), source.Options{Dir: dir, Ledger: l, Budget: 1}, plan)
	var stop *httpc.StoppedError
	if err != nil || len(results) != 2 || !errors.As(results[1].Err, &stop) || strings.Join(results[1].NotReached, ",") != srv.URL {
		t.Fatalf("%v %+v", err, results)
	}
	// A setting that is wrong stops everything before any request.
	n := srv.Count() + down.Count()
	bad := []source.Planned{plan[1], {Source: fake{name: "down"}, Settings: []ledger.SourceSettings{{Source: "down", Pos: ledger.Pos{Line: 3, Col: 9}}}}}
	if _, err := source.Ingest(context.Background(), source.Options{Dir: dir, Ledger: l}, bad); err == nil ||
		!strings.HasSuffix(err.Error(), "/program.yaml:3:9: sources.down: url is missing; add it to the source's settings in program.yaml") {
		t.Errorf("err = %v", err)
	}
	if srv.Count()+down.Count() != n {
		t.Error("a request was sent")
	}
}

func TestWindow(t *testing.T) {
	mark := "2026-10-01T00:00:00Z"
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, c := range []struct {
		since   time.Time
		mark    string
		start   string
		movable bool
	}{
		{time.Time{}, "", "0001-01-01T00:00:00Z", true},
		{time.Time{}, mark, mark, true},
		{at("2026-09-01T00:00:00Z"), mark, "2026-09-01T00:00:00Z", true},
		{at("2026-10-01T00:00:00Z"), mark, mark, true},
		{at("2026-10-02T00:00:00Z"), mark, "2026-10-02T00:00:00Z", false},
		{at("2026-10-02T00:00:00Z"), "", "2026-10-02T00:00:00Z", true},
	} {
		start, movable := source.Window(c.since, c.mark)
		if start.Format(time.RFC3339) != c.start || movable != c.movable {
			t.Errorf("Window(%v, %q) = %v, %v", c.since, c.mark, start, movable)
		}
	}
	if got := source.Advance(mark, at("2026-09-01T00:00:00Z")); got != mark {
		t.Errorf("Advance went back to %s", got)
	}
	if got := source.Advance(mark, at("2026-10-03T10:00:00+02:00")); got != "2026-10-03T08:00:00Z" {
		t.Errorf("Advance = %s", got)
	}
}

// TestStartBack: a source that reads again a while before its mark does
// so after a complete run; after one that stopped, it continues where that
// one got to, which read the while already.
func TestStartBack(t *testing.T) {
	srv := fakeAPI(t, fakeItems())
	dir := fakeLedger(t, "https://fake.example")
	src := fake{name: "fake", back: 30 * time.Hour}
	after := func(n int) string { return srv.Requests()[n].Query }
	sourcetest.Ingest(t, dir, src, sourcetest.Options{APIURL: srv.URL})
	n := srv.Count()
	res := sourcetest.Ingest(t, dir, src, sourcetest.Options{APIURL: srv.URL, Budget: 1})
	if stop, ok := errors.AsType[*httpc.StoppedError](res.Err); !ok || stop.Reason != "budget" {
		t.Fatalf("err = %v", res.Err)
	}
	if q := after(n); q != "after="+strconv.FormatInt(base.Add(-7*time.Hour).Unix(), 10) {
		t.Errorf("asked %s, not 30 hours before the mark", q)
	}
	state := sourcetest.Read(t, dir, "sources/fake.yaml")
	if !strings.HasSuffix(state, "    synced: 2026-10-02T08:00:00Z\n    resume: 2026-10-01T10:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	n = srv.Count()
	if res := sourcetest.Ingest(t, dir, src, sourcetest.Options{APIURL: srv.URL}); res.Err != nil {
		t.Fatal(res.Err)
	}
	if q := after(n); q != "after="+strconv.FormatInt(base.Add(time.Hour).Unix(), 10) {
		t.Errorf("asked %s, not where the stopped run got to", q)
	}
	if state := sourcetest.Read(t, dir, "sources/fake.yaml"); strings.Contains(state, "resume") {
		t.Errorf("a complete run left:\n%s", state)
	}
}
