package discussions

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

const token = "ghp_t0ken-for-tests"

var env = map[string]string{"GITHUB_TOKEN": token}

func day(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, time.UTC) }

func answer(id int64, login string, created time.Time) *fakeAnswer {
	return &fakeAnswer{ID: id, Login: login, Created: created}
}

// small is a data set with one of everything.
func small() map[string][]fakeDiscussion {
	return map[string][]fakeDiscussion{
		"acme/widget": {
			{Number: 1, Title: "How do I set the ledger path?", Updated: day(20, 10, 0), Answer: answer(101, "alice-gh", day(5, 10, 0))},
			{Number: 2, Title: "Nobody knows", Updated: day(21, 10, 0)},
			{Number: 3, Title: "Bump yaml", Updated: day(22, 10, 0), Answer: &fakeAnswer{ID: 103, Login: "dependabot", Bot: true, Created: day(22, 9, 0)}},
			{Number: 4, Title: "Asked and left", Updated: day(23, 10, 0), Answer: answer(104, "", day(23, 9, 0))},
			{Number: 5, Title: "Late at night", Updated: day(31, 23, 45), Answer: answer(105, "bob-gh", day(31, 23, 30))},
			{Number: 6, Title: "Pin the action", Updated: day(24, 10, 0), Answer: answer(106, "renovate[bot]", day(24, 9, 0))},
		},
		"acme/docs": {
			{Number: 7, Title: "Where are the examples?", Updated: time.Date(2026, 9, 15, 8, 0, 0, 0, time.UTC), Answer: answer(107, "carol-gh", time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC))},
		},
	}
}

func newLedger(t testing.TB, repos string) string {
	return sourcetest.Ledger(t, "name: Test\ntimezone: Europe/Berlin\nleadership: [alice]\nscoring:\n  - from: 2025-01-01\n    kinds:\n      discussion_answer: {weight: 2}\n"+
		"sources:\n  discussions: {repositories: ["+repos+"], kind: discussion_answer}\n", map[string]string{
		"people/alice.yaml": "name: Alice\nidentities: {github: alice-gh}\n",
	})
}

func ingest(t testing.TB, dir string, f *fakeGitHub, o sourcetest.Options) source.Result {
	t.Helper()
	o.APIURL = f.URL
	if o.Env == nil {
		o.Env = env
	}
	return sourcetest.Ingest(t, dir, Discussions{}, o)
}

func TestCredits(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	dir := newLedger(t, "acme/widget, acme/docs")
	res := ingest(t, dir, f, sourcetest.Options{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := "discussions:acme/docs#7/107 github:carol-gh discussion_answer 2026-09-14\n" +
		"discussions:acme/widget#1/101 github:alice-gh discussion_answer 2026-10-05\n" +
		"discussions:acme/widget#5/105 github:bob-gh discussion_answer 2026-11-01\n" // 00:30 in Berlin
	if got := sourcetest.Lines(res.Credits); got != want {
		t.Errorf("credits:\n%swant:\n%s", got, want)
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.ID+" "+s.Reason)
	}
	if got := strings.Join(skipped, ", "); got != "discussions:acme/widget#6/106 bot, discussions:acme/widget#3/103 bot" {
		t.Errorf("skipped: %s", got)
	}
	c := res.Credits[2]
	if c.URL != "https://github.com/acme/widget/discussions/5#discussioncomment-105" || c.Title != "Late at night" || c.Project != "acme/widget" {
		t.Errorf("credit: %+v", c)
	}
	if f.Count() != 2 || res.Streams[0] != (source.StreamReport{Key: "acme/widget", What: "5 answered discussions listed", Detail: "1 page", Requests: 1, Complete: true}) {
		t.Errorf("%d requests, streams %+v", f.Count(), res.Streams)
	}
	state := sourcetest.Read(t, dir, "sources/discussions.yaml")
	if !strings.HasSuffix(state, "streams:\n  acme/widget:\n    synced: 2026-10-31T23:45:00Z\n  acme/docs:\n    synced: 2026-09-15T08:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	if shard := sourcetest.Read(t, dir, "credits/2026/11/discussions.yaml"); !strings.Contains(shard, "  - id: discussions:acme/widget#5/105\n    who: github:bob-gh\n    kind: discussion_answer\n    date: 2026-11-01\n") {
		t.Errorf("shard:\n%s", shard)
	}

	// A second run asks one page a repository and adds nothing.
	again := ingest(t, dir, f, sourcetest.Options{})
	if again.Err != nil || len(again.Credits) != 0 || again.Present != 2 || again.Written.State || len(again.Written.Shards) != 0 || f.Count() != 4 {
		t.Errorf("second run: %+v, %d requests", again, f.Count())
	}
}

// TestUnansweredAndBots: a server that lists unanswered discussions too
// (answer null) gets no credit for them, nor for bots or deleted
// accounts.
func TestUnansweredAndBots(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	f.ignoreAnswered = true
	res := ingest(t, newLedger(t, "acme/widget"), f, sourcetest.Options{})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != "discussions:acme/widget#1/101 github:alice-gh discussion_answer 2026-10-05\ndiscussions:acme/widget#5/105 github:bob-gh discussion_answer 2026-11-01\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
	if len(res.Skipped) != 2 || res.Streams[0].What != "6 answered discussions listed" {
		t.Errorf("%+v", res)
	}
}

// many are n answered discussions numbered from, one updated step after
// the other from start, answered by ten people.
func many(n, from int, start time.Time, step time.Duration) []fakeDiscussion {
	var ds []fakeDiscussion
	for i := range n {
		at := start.Add(time.Duration(i) * step)
		ds = append(ds, fakeDiscussion{Number: from + i, Title: fmt.Sprintf("Question %d", from+i), Updated: at.Add(time.Minute),
			Answer: answer(int64(10000+from+i), fmt.Sprintf("dev%d", (from+i)%10), at)})
	}
	return ds
}

func TestPagination(t *testing.T) {
	f := newFakeGitHub(t, token, map[string][]fakeDiscussion{"acme/widget": many(250, 1, day(1, 0, 0), time.Hour)})
	res := ingest(t, newLedger(t, "acme/widget"), f, sourcetest.Options{})
	if res.Err != nil || len(res.Credits) != 250 {
		t.Fatalf("%v, %d credits", res.Err, len(res.Credits))
	}
	reqs := f.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, want := range []string{`"after":null`, `"after":"Y3Vyc29yOjEwMA=="`, `"after":"Y3Vyc29yOjIwMA=="`} {
		if !strings.Contains(reqs[i].Body, want) || !strings.Contains(reqs[i].Body, `"first":100`) {
			t.Errorf("request %d: %s", i+1, reqs[i].Body)
		}
	}
}

// TestRequestCounts measures what the README says a run costs: 1,000
// answered discussions, two a day, then 10 more.
func TestRequestCounts(t *testing.T) {
	f := newFakeGitHub(t, token, map[string][]fakeDiscussion{"acme/widget": many(1000, 1, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), 12*time.Hour)})
	dir := newLedger(t, "acme/widget")
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 1000 || f.Count() != 10 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
	f.add("acme/widget", many(10, 1001, time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), time.Hour)...)
	res := ingest(t, dir, f, sourcetest.Options{})
	// The 10 new, and the 15 of the lookback's week: one page.
	if res.Err != nil || len(res.Credits) != 10 || res.Present != 15 || f.Count() != 10+1 {
		t.Errorf("incremental run: %v, %d credits, %d requests", res.Err, len(res.Credits), f.Count()-10)
	}
}

// TestLateAnswer: an answer marked after the last run, on a discussion
// not updated since, is found within the lookback.
func TestLateAnswer(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	f.add("acme/widget", fakeDiscussion{Number: 8, Title: "Asked last week", Updated: day(28, 8, 0)})
	dir := newLedger(t, "acme/widget")
	ingest(t, dir, f, sourcetest.Options{})
	f.mu.Lock()
	f.repos["acme/widget"][6].Answer = answer(108, "alice-gh", day(28, 7, 0))
	f.mu.Unlock()
	res := ingest(t, dir, f, sourcetest.Options{})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != "discussions:acme/widget#8/108 github:alice-gh discussion_answer 2026-10-28\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
}

func TestRateLimits(t *testing.T) {
	// The primary limit: a 200 with an error of type RATE_LIMITED and
	// none remaining, waited for until the reset.
	primary := func(n int, w http.ResponseWriter) bool {
		if n != 2 {
			return false
		}
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(reset.Unix()))
		fmt.Fprint(w, `{"errors":[{"type":"RATE_LIMITED","message":"API rate limit already exceeded for user ID 1."}]}`)
		return true
	}
	secondary := func(n int, w http.ResponseWriter) bool {
		if n != 2 {
			return false
		}
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`)
		return true
	}
	clean := newLedger(t, "acme/widget, acme/docs")
	ingest(t, clean, newFakeGitHub(t, token, small()), sourcetest.Options{})
	for name, c := range map[string]struct {
		fail   func(int, http.ResponseWriter) bool
		waited time.Duration
	}{
		"primary":   {primary, reset.Sub(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)) + time.Second},
		"secondary": {secondary, time.Minute},
	} {
		f := newFakeGitHub(t, token, small())
		f.fail = c.fail
		dir := newLedger(t, "acme/widget, acme/docs")
		res := ingest(t, dir, f, sourcetest.Options{})
		if res.Err != nil || res.Stats.Waited != c.waited || f.Count() != 3 {
			t.Errorf("%s: %v, waited %s, %d requests", name, res.Err, res.Stats.Waited, f.Count())
		}
		if sourcetest.Written(t, dir) != sourcetest.Written(t, clean) {
			t.Errorf("%s: the run wrote\n%s", name, sourcetest.Written(t, dir))
		}
	}

	// A reset later than --max-wait stops the run, with what it found.
	f := newFakeGitHub(t, token, small())
	f.fail = primary
	res := ingest(t, newLedger(t, "acme/widget, acme/docs"), f, sourcetest.Options{MaxWait: time.Minute})
	var stop *httpc.StoppedError
	if !errors.As(res.Err, &stop) || stop.Reason != "rate limit" || !stop.Reset.Equal(reset.Add(time.Second)) || len(res.Credits) != 2 {
		t.Errorf("%v, %d credits", res.Err, len(res.Credits))
	}
}

// TestRateLimitInTheAnswer: an answer whose rateLimit says none is left
// makes the next request wait for resetAt.
func TestRateLimitInTheAnswer(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 1 {
			fmt.Fprintf(w, `{"data":{"repository":{"discussions":{"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}},"rateLimit":{"limit":5000,"remaining":0,"resetAt":%q}}}`, reset.Format(time.RFC3339))
			return true
		}
		return false
	}
	res := ingest(t, newLedger(t, "acme/widget, acme/docs"), f, sourcetest.Options{})
	if res.Err != nil || res.Stats.Waited != 30*time.Minute+time.Second || len(res.Credits) != 1 {
		t.Errorf("%v, waited %s, %d credits", res.Err, res.Stats.Waited, len(res.Credits))
	}
}

func TestServerError(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 1 {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, `{"message":"Server Error"}`)
		}
		return n == 1
	}
	res := ingest(t, newLedger(t, "acme/widget, acme/docs"), f, sourcetest.Options{})
	if res.Err != nil || len(res.Credits) != 3 || f.Count() != 3 || res.Stats.Waited != time.Second {
		t.Errorf("%v, %d credits, %d requests", res.Err, len(res.Credits), f.Count())
	}
	reqs := f.Requests()
	if reqs[0].Body != reqs[1].Body || !strings.Contains(reqs[1].Body, `"name":"widget","owner":"acme"`) {
		t.Errorf("the retry asked %s", reqs[1].Body)
	}
}

// TestInterrupted: a run stopped by --budget (exit 3) and run again
// writes what one clean run writes.
func TestInterrupted(t *testing.T) {
	data := func() map[string][]fakeDiscussion {
		d := small()
		d["acme/widget"] = append(d["acme/widget"], many(250, 100, day(1, 0, 0), time.Hour)...)
		return d
	}
	clean := newLedger(t, "acme/widget, acme/docs")
	if res := ingest(t, clean, newFakeGitHub(t, token, data()), sourcetest.Options{}); res.Err != nil || len(res.Credits) != 253 {
		t.Fatalf("%v, %d credits", res.Err, len(res.Credits))
	}
	f := newFakeGitHub(t, token, data())
	dir := newLedger(t, "acme/widget, acme/docs")
	res := ingest(t, dir, f, sourcetest.Options{Budget: 2})
	var stop *httpc.StoppedError
	first := len(res.Credits) // two pages' worth
	if !errors.As(res.Err, &stop) || stop.Reason != "budget" || first != 197 || strings.Join(res.NotReached, ",") != "acme/docs" {
		t.Fatalf("stopped run: %v, %d credits, not reached %v", res.Err, first, res.NotReached)
	}
	if state := sourcetest.Read(t, dir, "sources/discussions.yaml"); state != "" {
		t.Errorf("the mark moved before the listing was complete:\n%s", state)
	}
	if res := ingest(t, dir, f, sourcetest.Options{}); res.Err != nil || len(res.Credits) != 253-first || res.Present != first {
		t.Fatalf("continued run: %v, %d credits", res.Err, len(res.Credits))
	}
	if got, want := sourcetest.Written(t, dir), sourcetest.Written(t, clean); got != want {
		t.Errorf("stopped and continued:\n%s\none run:\n%s", got, want)
	}
}

// TestUntil: --until keeps later answers for a later run, and the mark
// stops there.
func TestUntil(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	dir := newLedger(t, "acme/widget")
	until := time.Date(2026, 10, 25, 23, 59, 59, 0, time.UTC)
	res := ingest(t, dir, f, sourcetest.Options{Until: until})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != "discussions:acme/widget#1/101 github:alice-gh discussion_answer 2026-10-05\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
	if state := sourcetest.Read(t, dir, "sources/discussions.yaml"); !strings.HasSuffix(state, "synced: 2026-10-25T23:59:59Z\n") {
		t.Errorf("state:\n%s", state)
	}
	res = ingest(t, dir, f, sourcetest.Options{})
	if got := sourcetest.Lines(res.Credits); res.Err != nil || got != "discussions:acme/widget#5/105 github:bob-gh discussion_answer 2026-11-01\n" {
		t.Errorf("%v\n%s", res.Err, got)
	}
}

// TestSecret: the token goes as GitHub takes it, in Authorization, to the
// API's host only, never along a redirect to another, and shows in no
// message.
func TestSecret(t *testing.T) {
	elsewhere := sourcetest.Elsewhere(t)
	f := newFakeGitHub(t, token, small())
	f.fail = func(n int, w http.ResponseWriter) bool {
		if n == 2 {
			w.Header().Set("Location", elsewhere.URL+"/graphql")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
		return n == 2
	}
	res := ingest(t, newLedger(t, "acme/widget, acme/docs"), f, sourcetest.Options{})
	if res.Err == nil || strings.Contains(res.Err.Error(), token) {
		t.Errorf("err = %v", res.Err)
	}
	sourcetest.CheckSecret(t, f.Server, elsewhere, token, "Authorization", "Bearer "+token)

	// A token GitHub refuses is said so, without the token.
	res = ingest(t, newLedger(t, "acme/widget"), f, sourcetest.Options{Env: map[string]string{"GITHUB_TOKEN": "wrong-" + token}})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "GitHub refused GITHUB_TOKEN (401 Bad credentials)") || strings.Contains(res.Err.Error(), token) {
		t.Errorf("err = %v", res.Err)
	}
}

func TestErrors(t *testing.T) {
	f := newFakeGitHub(t, token, small())
	res := ingest(t, newLedger(t, "acme/nope"), f, sourcetest.Options{})
	if res.Err == nil || res.Err.Error() != "acme/nope: GitHub has no such repository, or the token may not read it (Could not resolve to a Repository with the name 'acme/nope'. (NOT_FOUND)); check sources.discussions.repositories and GITHUB_TOKEN" {
		t.Errorf("err = %v", res.Err)
	}
	n := f.Count()
	for _, c := range []struct{ repos, env, want string }{
		{"acme/widget", "", "sources.discussions: GITHUB_TOKEN is not set; GitHub's GraphQL API answers only with a token (one that may read the repositories)"},
		{"widget", token, `program.yaml:9:31: sources.discussions.repositories: repository "widget" is not OWNER/NAME, such as acme/widget`},
	} {
		dir := newLedger(t, c.repos)
		err := sourcetest.SetupError(t, dir, Discussions{}, sourcetest.Options{APIURL: f.URL, Env: map[string]string{"GITHUB_TOKEN": c.env}})
		if err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("err = %v, want %s", err, c.want)
		}
	}
	if f.Count() != n {
		t.Error("a setting that is wrong sent a request")
	}
}

// TestSample reads the hand-made page of ../shared/data, written from
// GitHub's schema, through the connector: the answered discussion is
// credited, the unanswered one is not.
func TestSample(t *testing.T) {
	sample, err := os.ReadFile("../../../../shared/data/github-graphql/HANDMADE_discussions_answered_page.json")
	if err != nil {
		t.Skip("no shared data:", err)
	}
	var srv *sourcetest.Server
	srv = sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if srv.Count() == 1 {
			w.Write(sample)
			return
		}
		fmt.Fprint(w, `{"data":{"repository":{"discussions":{"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}}}}`)
	})
	dir := sourcetest.Ledger(t, "name: Test\nleadership: [alice]\nscoring:\n  - from: 2020-01-01\n    kinds:\n      discussion_answer: {weight: 2}\n"+
		"sources:\n  discussions: {repositories: [octo-org/example], kind: discussion_answer}\n", nil)
	res := sourcetest.Ingest(t, dir, Discussions{}, sourcetest.Options{APIURL: srv.URL, Env: env})
	if res.Err != nil || len(res.Credits) != 1 || srv.Count() != 2 {
		t.Fatalf("%v, %d credits, %d requests", res.Err, len(res.Credits), srv.Count())
	}
	if c := res.Credits[0]; c.Who != "github:helper" || c.Date.String() != "2024-01-10" || c.URL != "https://github.com/octo-org/example/discussions/12#discussioncomment-1000001" {
		t.Errorf("credit %+v", c)
	}
}
