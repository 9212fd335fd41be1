package stackexchange

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/sourcetest"
)

// fakeSite is a Stack Exchange site as API 2.3 shows it: gzip-compressed
// JSON in the common wrapper (items, has_more, quota_max,
// quota_remaining, backoff), errors as HTTP 400 with error_id, error_name
// and error_message.
type fakeSite struct {
	*sourcetest.Server
	mu        sync.Mutex
	questions []*fakeQuestion
	answers   map[int]*fakeAnswer
	// quota is what is left of the day's (-1: no end).
	quota, quotaMax int
	// next lists answers to give before the real ones: "backoff" (the
	// real answer, with backoff: 5), "throttle" (400 throttle_violation),
	// "503".
	next []string
}

type fakeQuestion struct {
	id, accepted int
	tags         []string
	title        string
	activity     int64
}

type fakeAnswer struct {
	id, question, user int
	name, userType     string
	created            int64
	accepted           bool
}

func newFakeSite(t *testing.T) *fakeSite {
	f := &fakeSite{answers: map[int]*fakeAnswer{}, quota: -1, quotaMax: 10000}
	f.Server = sourcetest.NewServer(t, f.serve)
	return f
}

func (f *fakeSite) ask(q *fakeQuestion, a *fakeAnswer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.questions = append(f.questions, q)
	if a != nil {
		a.question = q.id
		f.answers[a.id] = a
	}
}

func (f *fakeSite) write(w http.ResponseWriter, status int, v map[string]any) {
	if f.quota >= 0 {
		v["quota_remaining"] = f.quota
	} else {
		v["quota_remaining"] = f.quotaMax - 1
	}
	v["quota_max"] = f.quotaMax
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	z := gzip.NewWriter(w)
	json.NewEncoder(z).Encode(v)
	z.Close()
}

func (f *fakeSite) fail(w http.ResponseWriter, id int, name, msg string) {
	f.write(w, http.StatusBadRequest, map[string]any{"error_id": id, "error_name": name, "error_message": msg})
}

func (f *fakeSite) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.quota == 0 {
		f.fail(w, 502, "throttle_violation", "too many requests from this IP, more requests available in 7200 seconds")
		return
	}
	if f.quota > 0 {
		f.quota--
	}
	extra := map[string]any{}
	if len(f.next) > 0 {
		next := f.next[0]
		f.next = f.next[1:]
		switch next {
		case "backoff":
			extra["backoff"] = 5
		case "throttle":
			f.fail(w, 502, "throttle_violation", "Violation of backoff parameter")
			return
		case "503":
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
	}
	q := r.URL.Query()
	if q.Get("site") != "stackoverflow" {
		f.fail(w, 400, "bad_parameter", "site is required")
		return
	}
	if k := q.Get("key"); k != "" && k != "se-app-k3y" {
		f.fail(w, 400, "bad_parameter", "key")
		return
	}
	var items []any
	hasMore := false
	switch path := strings.TrimPrefix(r.URL.Path, "/2.3/"); {
	case path == "search/advanced":
		if q.Get("accepted") != "True" || q.Get("sort") != "activity" || q.Get("order") != "asc" {
			f.fail(w, 400, "bad_parameter", "unexpected query")
			return
		}
		minAct, _ := strconv.ParseInt(q.Get("min"), 10, 64)
		var list []*fakeQuestion
		for _, qu := range f.questions {
			if qu.accepted != 0 && slices.Contains(qu.tags, q.Get("tagged")) && qu.activity >= minAct {
				list = append(list, qu)
			}
		}
		slices.SortStableFunc(list, func(a, b *fakeQuestion) int { return int(a.activity - b.activity) })
		size, _ := strconv.Atoi(q.Get("pagesize"))
		page, _ := strconv.Atoi(q.Get("page"))
		from, to := min((page-1)*size, len(list)), min(page*size, len(list))
		hasMore = to < len(list)
		for _, qu := range list[from:to] {
			items = append(items, map[string]any{
				"tags": qu.tags, "owner": map[string]any{"account_id": 9, "reputation": 11, "user_id": 9, "user_type": "registered", "display_name": "Asker", "link": "https://stackoverflow.com/users/9/asker"},
				"is_answered": true, "view_count": 20, "accepted_answer_id": qu.accepted, "answer_count": 2, "score": 1,
				"last_activity_date": qu.activity, "creation_date": qu.activity - 3600, "question_id": qu.id, "content_license": "CC BY-SA 4.0",
				"link": fmt.Sprintf("https://stackoverflow.com/questions/%d/%s", qu.id, strings.ReplaceAll(strings.ToLower(qu.title), " ", "-")), "title": qu.title,
			})
		}
	case strings.HasPrefix(path, "answers/"):
		ids := strings.Split(strings.TrimPrefix(path, "answers/"), ";")
		if len(ids) > 100 {
			f.fail(w, 400, "bad_parameter", "ids")
			return
		}
		for _, s := range ids {
			id, _ := strconv.Atoi(s)
			a, ok := f.answers[id]
			if !ok {
				continue
			}
			owner := map[string]any{"user_type": a.userType, "display_name": a.name}
			if a.userType != "does_not_exist" {
				owner["user_id"], owner["account_id"], owner["reputation"] = a.user, a.user+1000, 100
				owner["link"] = fmt.Sprintf("https://stackoverflow.com/users/%d/x", a.user)
			}
			items = append(items, map[string]any{"owner": owner, "is_accepted": a.accepted, "score": 3, "last_activity_date": a.created,
				"creation_date": a.created, "answer_id": a.id, "question_id": a.question, "content_license": "CC BY-SA 4.0"})
		}
	default:
		f.fail(w, 404, "no_method", "no method found with this name")
		return
	}
	if items == nil {
		items = []any{}
	}
	extra["items"], extra["has_more"] = items, hasMore
	f.write(w, http.StatusOK, extra)
}

const program = `name: Lumen
leadership: [ana]
scoring:
  - from: 2026-01-01
    kinds:
      stackexchange_answer: {weight: 2}
sources:
  stackexchange: {site: stackoverflow, tags: [lumen, lumen-sdk], kind: stackexchange_answer}
`

func siteLedger(t *testing.T) string {
	return sourcetest.Ledger(t, program, map[string]string{"people/ana.yaml": "name: Ana\nidentities: {stackexchange: \"101\"}\n"})
}

var day = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).Unix()

func smallSite(f *fakeSite) {
	h := int64(3600)
	f.ask(&fakeQuestion{id: 1, accepted: 11, tags: []string{"lumen"}, title: "How do I export a funnel?", activity: day + 30*h},
		&fakeAnswer{id: 11, user: 101, name: "Ana", userType: "registered", created: day + 28*h, accepted: true})
	f.ask(&fakeQuestion{id: 2, tags: []string{"lumen"}, title: "Upvoted but not accepted", activity: day + 31*h},
		&fakeAnswer{id: 21, user: 102, name: "Bo", userType: "registered", created: day + 30*h})
	f.ask(&fakeQuestion{id: 3, accepted: 31, tags: []string{"lumen-sdk"}, title: "Community wiki", activity: day + 40*h},
		&fakeAnswer{id: 31, user: -1, name: "Community", userType: "moderator", created: day + 39*h, accepted: true})
	f.ask(&fakeQuestion{id: 4, accepted: 41, tags: []string{"lumen", "lumen-sdk"}, title: "From a deleted account", activity: day + 50*h},
		&fakeAnswer{id: 41, name: "user123", userType: "does_not_exist", created: day + 49*h, accepted: true})
	f.ask(&fakeQuestion{id: 5, accepted: 51, tags: []string{"lumen", "lumen-sdk"}, title: "Why does &quot;track&quot; drop events?", activity: day + 60*h},
		&fakeAnswer{id: 51, user: 102, name: "Bo &amp; Co", userType: "registered", created: day + 59*h, accepted: true})
	f.ask(&fakeQuestion{id: 6, accepted: 61, tags: []string{"python"}, title: "Another tag", activity: day + 70*h},
		&fakeAnswer{id: 61, user: 103, name: "Cy", userType: "registered", created: day + 69*h, accepted: true})
}

func credits(res source.Result) []string {
	var out []string
	for _, c := range res.Credits {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %q", c.ID, c.Who, c.Kind, c.Date, c.URL, c.Title))
	}
	return out
}

func paths(f *fakeSite, n int) []string {
	var out []string
	for _, r := range f.Requests()[n:] {
		out = append(out, r.Path)
	}
	return out
}

func TestCredits(t *testing.T) {
	f := newFakeSite(t)
	smallSite(f)
	dir := siteLedger(t)
	res := sourcetest.Ingest(t, dir, StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{
		`stackexchange:stackoverflow/a/11 stackexchange:101 stackexchange_answer 2026-10-02 https://stackoverflow.com/a/11 "How do I export a funnel?"`,
		`stackexchange:stackoverflow/a/51 stackexchange:102 stackexchange_answer 2026-10-03 https://stackoverflow.com/a/51 "Why does \"track\" drop events?"`,
	}
	if got := credits(res); !slices.Equal(got, want) {
		t.Errorf("credits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Skipped) != 1 || res.Skipped[0].ID != "stackexchange:stackoverflow/a/31" || res.Skipped[0].Reason != "bot" {
		t.Errorf("skipped: %+v", res.Skipped)
	}
	if h := res.Unowned["stackexchange:102"]; h.Credits != 1 || h.Name != "Bo & Co" || len(res.Unowned) != 1 {
		t.Errorf("unowned: %+v", res.Unowned)
	}
	// Per tag: one listing, one request for the page's answers (none for
	// those the first tag read already).
	if got := paths(f, 0); !slices.Equal(got, []string{"/2.3/search/advanced", "/2.3/answers/11;41;51", "/2.3/search/advanced", "/2.3/answers/31"}) {
		t.Errorf("requests %q", got)
	}
	if res.Stats.Rate != (httpc.RateLimit{Limit: 10000, Remaining: 9999, Known: true}) {
		t.Errorf("rate %+v", res.Stats.Rate)
	}
	state := sourcetest.Read(t, dir, "sources/stackexchange.yaml")
	if !strings.HasSuffix(state, "streams:\n  stackoverflow/lumen:\n    synced: 2026-10-03T12:00:00Z\n  stackoverflow/lumen-sdk:\n    synced: 2026-10-03T12:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	// Again: each tag's listing, and the answers that gave no credit
	// (the deleted account's, the Community's), each once; nothing is
	// added.
	n := f.Count()
	res = sourcetest.Ingest(t, dir, StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if res.Err != nil || len(res.Credits) != 0 || res.Written.State || len(res.Written.Shards) != 0 {
		t.Errorf("second run: %+v", res)
	}
	if got := paths(f, n); !slices.Equal(got, []string{"/2.3/search/advanced", "/2.3/answers/41", "/2.3/search/advanced", "/2.3/answers/31"}) {
		t.Errorf("second run asked %q", got)
	}
}

// bigSite adds n questions with accepted answers, 40 minutes apart.
func bigSite(f *fakeSite, from, n int) {
	for i := from; i < from+n; i++ {
		at := day + int64(i)*40*60
		f.ask(&fakeQuestion{id: 1000 + i, accepted: 5000 + i, tags: []string{"lumen"}, title: fmt.Sprintf("Question %d", i), activity: at},
			&fakeAnswer{id: 5000 + i, user: 200 + i%30, name: "Helper", userType: "registered", created: at - 60, accepted: true})
	}
}

// TestPagesAndRequests: a first run over 1,000 questions with accepted
// answers takes 11 pages (each next one starts at the last read: they
// overlap by one) and a request for the answers of each; after 10 new
// ones, a run lists the last week again (the lookback) and asks for the
// 10 new answers in one request.
func TestPagesAndRequests(t *testing.T) {
	f := newFakeSite(t)
	bigSite(f, 0, 1000)
	dir := sourcetest.Ledger(t, strings.Replace(program, "[lumen, lumen-sdk]", "[lumen]", 1), nil)
	res := sourcetest.Ingest(t, dir, StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if res.Err != nil || len(res.Credits) != 1000 || res.Stats.Requests != 22 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	bigSite(f, 1000, 10)
	res = sourcetest.Ingest(t, dir, StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if res.Err != nil || len(res.Credits) != 10 || res.Stats.Requests != 4 {
		t.Errorf("incremental run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	t.Logf("stackexchange: first run over 1,000 accepted answers: 22 requests; after 10 new: %d", res.Stats.Requests)
}

// TestBackoffAndFaults: a backoff in an answer delays the next request; a
// throttle_violation (HTTP 400) is waited out, a 503 retried.
func TestBackoffAndFaults(t *testing.T) {
	f := newFakeSite(t)
	smallSite(f)
	f.next = []string{"backoff", "throttle", "503"}
	res := sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if res.Err != nil || len(res.Credits) != 2 || res.Stats.Waited != 5*time.Second+time.Minute+time.Second {
		t.Errorf("%v, %d credits, waited %s", res.Err, len(res.Credits), res.Stats.Waited)
	}
	// A backoff longer than --max-wait stops the run.
	f.next = []string{"backoff"}
	res = sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/", MaxWait: time.Second})
	if stop, ok := errors.AsType[*httpc.StoppedError](res.Err); !ok || stop.Reason != "backoff" {
		t.Errorf("err = %v", res.Err)
	}
}

// TestQuota: a spent daily quota stops the run with what it found; the
// next day's run continues, and together they write what one run does.
func TestQuota(t *testing.T) {
	f := newFakeSite(t)
	bigSite(f, 0, 250)
	ref := sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	dir := siteLedger(t)
	f.quota, f.quotaMax = 3, 300
	res := sourcetest.Ingest(t, dir, StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	stop, ok := errors.AsType[*httpc.StoppedError](res.Err)
	if !ok || stop.Reason != "daily quota" || len(res.Credits) != 100 || f.Count() != ref.Stats.Requests+3 {
		t.Fatalf("%v, %d credits, %d requests", res.Err, len(res.Credits), f.Count()-ref.Stats.Requests)
	}
	if res.Stats.Rate.Remaining != 0 || res.Stats.Rate.Limit != 300 {
		t.Errorf("rate %+v", res.Stats.Rate)
	}
	got := credits(res)
	f.quota = -1
	res = sourcetest.Ingest(t, dir, StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	got = append(got, credits(res)...)
	slices.Sort(got)
	want := credits(ref)
	slices.Sort(want)
	if res.Err != nil || !slices.Equal(got, want) {
		t.Errorf("%v: %d credits in two runs, %d in one", res.Err, len(got), len(want))
	}
	// A quota spent before the first answer says when it comes back.
	f.quota = 0
	res = sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if stop, ok := errors.AsType[*httpc.StoppedError](res.Err); !ok || stop.Reason != "throttle" || !stop.Reset.Equal(time.Date(2026, 11, 1, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("err = %v", res.Err)
	}
}

// TestBudget: runs stopped by the budget, each continued, write what one
// run writes.
func TestBudget(t *testing.T) {
	f := newFakeSite(t)
	smallSite(f)
	bigSite(f, 0, 250)
	ref := sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	got := sourcetest.Continued(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/", Budget: 3}, 20)
	if want := sourcetest.IDs(ref); !slices.Equal(got, want) {
		t.Errorf("interrupted runs wrote %d credits, one run %d", len(got), len(want))
	}
}

// TestSecret: the app key goes in the query, as the API takes it, to the
// API only, and is never printed; a refused one says what to check.
func TestSecret(t *testing.T) {
	f := newFakeSite(t)
	smallSite(f)
	env := map[string]string{"TALLY_STACKEXCHANGE_KEY": "se-app-k3y"}
	res := sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/", Env: env})
	if res.Err != nil || len(res.Notes) != 0 {
		t.Fatal(res.Err, res.Notes)
	}
	if where := f.Where("se-app-k3y"); !slices.Equal(where, []string{"query"}) {
		t.Errorf("the key went in %q", where)
	}
	env["TALLY_STACKEXCHANGE_KEY"] = "wr0ng-k3y"
	res = sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/", Env: env})
	if res.Err == nil || strings.Contains(res.Err.Error(), "wr0ng-k3y") ||
		res.Err.Error() != "/search/advanced: Stack Exchange refused the request: bad_parameter (400): key; check sources.stackexchange (site, tags)" {
		t.Errorf("err = %v", res.Err)
	}
	// Without a key, the run says what that costs.
	res = sourcetest.Ingest(t, siteLedger(t), StackExchange{}, sourcetest.Options{APIURL: f.URL + "/2.3/"})
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "300 requests a day") {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestSharedPages reads the wrapper of real API pages, where they are:
// backoff and quota.
func TestSharedPages(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", "stackexchange", "perceval_stackexchange_question_backoff_page.json"))
	if err != nil {
		t.Skip("../shared/data is absent:", err)
	}
	p := pace(&http.Response{}, data, time.Time{})
	if p.Wait != 200*time.Millisecond || p.Reason != "backoff" || p.Rate != (httpc.RateLimit{Limit: 10000, Remaining: 9989, Known: true}) {
		t.Errorf("pace %+v", p)
	}
}
