package discourse

import (
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

// fakeForum is a Discourse forum with the solved plugin, as its API shows
// it: topic lists of 30, most recently bumped first (pinned topics on
// top), topic views in either shape, and posts by number.
type fakeForum struct {
	*sourcetest.Server
	mu     sync.Mutex
	topics []*fakeTopic
	// fail lists answers to give, one per request, before the real ones:
	// "429" (Retry-After), "429-body" (the wait in the body only), "502".
	fail []string
}

type fakeTopic struct {
	id             int
	title, cat     string
	bumped         time.Time
	pinned, solved bool
	answers        []fakePost
	// shape is "core" (accepted_answers), "plugin" (accepted_answer, the
	// post in the view), "far" (accepted_answer, the post beyond the
	// posts the view holds), or a file of testdata served as it is.
	shape string
}

type fakePost struct {
	number, userID int
	user           string
	created        time.Time
	deleted        bool
}

func newFakeForum(t *testing.T) *fakeForum {
	f := &fakeForum{}
	f.Server = sourcetest.NewServer(t, f.serve)
	return f
}

func (f *fakeForum) add(tp *fakeTopic) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.topics = append(f.topics, tp)
}

func (f *fakeForum) failNext(answers ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = append(f.fail, answers...)
}

func (f *fakeForum) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fail) > 0 {
		fail := f.fail[0]
		f.fail = f.fail[1:]
		switch fail {
		case "429":
			w.Header().Set("Retry-After", "7")
			sourcetest.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"errors": []string{"You've performed this action too many times. Please wait 7 seconds before trying again."},
				"error_type": "rate_limit", "extras": map[string]any{"wait_seconds": 7, "time_left": "7 seconds"}})
		case "429-body":
			w.Header().Set("Discourse-Rate-Limit-Error-Id", "admin_api_key_rate_limit")
			sourcetest.WriteJSON(w, http.StatusTooManyRequests, map[string]any{"errors": []string{"You've performed this action too many times. Please wait 42 seconds before trying again."},
				"error_type": "rate_limit", "error_id": "admin_api_key_rate_limit", "extras": map[string]any{"wait_seconds": 42}})
		case "502":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html><body>502 Bad Gateway</body></html>")
		}
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/latest.json":
		f.list(w, r, "")
	case len(parts) == 4 && parts[0] == "c" && parts[2] == "l" && parts[3] == "latest.json":
		if parts[1] != "support" && parts[1] != "dev" {
			sourcetest.WriteJSON(w, http.StatusNotFound, map[string]any{"errors": []string{"The requested URL or resource could not be found."}, "error_type": "not_found"})
			return
		}
		f.list(w, r, parts[1])
	case len(parts) == 2 && parts[0] == "t":
		id, _ := strconv.Atoi(strings.TrimSuffix(parts[1], ".json"))
		f.view(w, id)
	case len(parts) == 4 && parts[0] == "posts" && parts[1] == "by_number":
		id, _ := strconv.Atoi(parts[2])
		n, _ := strconv.Atoi(strings.TrimSuffix(parts[3], ".json"))
		for _, tp := range f.topics {
			for _, p := range tp.answers {
				if tp.id == id && p.number == n {
					sourcetest.WriteJSON(w, http.StatusOK, f.postJSON(tp, p, true))
					return
				}
			}
		}
		sourcetest.WriteJSON(w, http.StatusNotFound, map[string]any{"errors": []string{"The requested URL or resource could not be found."}})
	default:
		sourcetest.WriteJSON(w, http.StatusNotFound, map[string]any{"errors": []string{"The requested URL or resource could not be found."}, "error_type": "not_found"})
	}
}

func slug(title string) string { return strings.ReplaceAll(strings.ToLower(title), " ", "-") }

func (f *fakeForum) list(w http.ResponseWriter, r *http.Request, cat string) {
	var topics []*fakeTopic
	for _, tp := range f.topics {
		if (cat == "" || tp.cat == cat) && (r.URL.Query().Get("solved") != "yes" || tp.solved) {
			topics = append(topics, tp)
		}
	}
	slices.SortStableFunc(topics, func(a, b *fakeTopic) int {
		if a.pinned != b.pinned {
			if a.pinned {
				return -1
			}
			return 1
		}
		return b.bumped.Compare(a.bumped)
	})
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	from, to := min(page*30, len(topics)), min(page*30+30, len(topics))
	var items []any
	for _, tp := range topics[from:to] {
		items = append(items, map[string]any{
			"id": tp.id, "title": tp.title, "fancy_title": tp.title, "slug": slug(tp.title), "posts_count": 2, "reply_count": 1,
			"created_at": tp.bumped.Add(-time.Hour), "last_posted_at": tp.bumped, "bumped": true, "bumped_at": tp.bumped,
			"archetype": "regular", "unseen": false, "pinned": tp.pinned, "unpinned": nil, "visible": true, "closed": false, "archived": false,
			"bookmarked": nil, "liked": nil, "views": 30, "like_count": 1, "has_summary": false, "last_poster_username": "someone",
			"category_id": 5, "pinned_globally": false, "has_accepted_answer": tp.solved, "posters": []any{map[string]any{"extras": "latest", "description": "Original Poster", "user_id": 3}},
		})
	}
	list := map[string]any{"can_create_topic": false, "per_page": 30, "topics": items}
	if to < len(topics) {
		list["more_topics_url"] = fmt.Sprintf("/latest?page=%d&solved=yes", page+1)
	}
	sourcetest.WriteJSON(w, http.StatusOK, map[string]any{"users": []any{}, "primary_groups": []any{}, "topic_list": list})
}

func (f *fakeForum) postJSON(tp *fakeTopic, p fakePost, accepted bool) map[string]any {
	return map[string]any{
		"id": tp.id*100 + p.number, "name": p.user, "username": p.user, "created_at": p.created, "cooked": "<p>An answer.</p>",
		"post_number": p.number, "post_type": 1, "topic_id": tp.id, "topic_slug": slug(tp.title), "user_id": p.userID,
		"user_deleted": p.deleted, "accepted_answer": accepted, "can_accept_answer": false, "can_unaccept_answer": false,
	}
}

func (f *fakeForum) view(w http.ResponseWriter, id int) {
	i := slices.IndexFunc(f.topics, func(tp *fakeTopic) bool { return tp.id == id })
	if i < 0 {
		sourcetest.WriteJSON(w, http.StatusNotFound, map[string]any{"errors": []string{"The requested URL or resource could not be found."}})
		return
	}
	tp := f.topics[i]
	if strings.HasSuffix(tp.shape, ".json") {
		data, err := os.ReadFile(filepath.Join("testdata", tp.shape))
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(data)
		return
	}
	posts := []any{f.postJSON(tp, fakePost{number: 1, userID: 3, user: "asker", created: tp.bumped.Add(-time.Hour)}, false)}
	view := map[string]any{"id": tp.id, "title": tp.title, "fancy_title": tp.title, "slug": slug(tp.title), "posts_count": 2, "archetype": "regular", "chunk_size": 20}
	switch tp.shape {
	case "core":
		var answers []any
		for _, p := range tp.answers {
			a := f.postJSON(tp, p, true)
			a["accepter"] = map[string]any{"id": 3, "username": "asker", "name": "Asker"}
			answers = append(answers, a)
		}
		view["accepted_answers"] = answers
	default:
		p := tp.answers[0]
		if tp.shape == "plugin" {
			posts = append(posts, f.postJSON(tp, p, true))
		}
		view["accepted_answer"] = map[string]any{"post_number": p.number, "username": p.user, "name": p.user, "excerpt": "An answer.", "accepter_username": "asker", "accepter_name": "Asker"}
	}
	view["post_stream"] = map[string]any{"posts": posts, "stream": []int{tp.id * 100, tp.id*100 + 1}}
	sourcetest.WriteJSON(w, http.StatusOK, view)
}

// paths lists the paths asked since request n, with their queries.
func (f *fakeForum) paths(n int) []string {
	var out []string
	for _, r := range f.Requests()[n:] {
		p := r.Path
		if r.Query != "" {
			p += "?" + r.Query
		}
		out = append(out, p)
	}
	return out
}

const program = `name: Lumen
timezone: Europe/Berlin
leadership: [kofi-mensah]
scoring:
  - from: 2026-01-01
    kinds:
      forum_solution: {weight: 2}
sources:
  discourse: {url: https://forum.lumen.example, kind: forum_solution}
`

func forumLedger(t *testing.T, program string) string {
	return sourcetest.Ledger(t, program, map[string]string{
		"people/kofi-mensah.yaml": "name: Kofi Mensah\nidentities: {discourse: Kofi}\n",
		"people/helper-bot.yaml":  "name: Helper\nidentities: {discourse: helper}\nbot: true\n",
	})
}

var day = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)

// smallForum is a forum with one of each case.
func smallForum(f *fakeForum) {
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	f.add(&fakeTopic{id: 700, title: "Welcome to the forum", bumped: day.AddDate(-2, 0, 0), pinned: true, solved: true, shape: "core",
		answers: []fakePost{{number: 2, userID: 1, user: "maya", created: day.AddDate(-2, 0, 0)}}}) // pinned, long ago
	f.add(&fakeTopic{id: 812, title: "Export stops at 10,000 rows", bumped: at(100), solved: true, shape: "topic-plugin.json"})
	f.add(&fakeTopic{id: 815, title: "Shared filters break two dashboards", bumped: at(280), solved: true, shape: "topic-core.json"})
	f.add(&fakeTopic{id: 820, title: "Slow startup", bumped: at(300), solved: true, shape: "far",
		answers: []fakePost{{number: 25, userID: 9, user: "omar", created: at(299)}}})
	f.add(&fakeTopic{id: 821, title: "Unanswered question", bumped: at(310)}) // not solved: never read
	f.add(&fakeTopic{id: 822, title: "Answered by a bot", bumped: at(320), solved: true, shape: "core",
		answers: []fakePost{{number: 2, userID: -2, user: "discobot", created: at(319)}, {number: 3, userID: 70, user: "helper", created: at(319)}}})
	f.add(&fakeTopic{id: 823, title: "Deleted helper", bumped: at(330), solved: true, shape: "core",
		answers: []fakePost{{number: 2, userID: 12, user: "gone", created: at(329), deleted: true}}})
	f.add(&fakeTopic{id: 824, title: "Answered late at night", bumped: at(406), solved: true, shape: "plugin",
		answers: []fakePost{{number: 2, userID: 7, user: "Kofi", created: day.AddDate(0, 0, 16).Add(22*time.Hour + 30*time.Minute)}}})
}

func credits(res source.Result) []string {
	var out []string
	for _, c := range res.Credits {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %q", c.ID, c.Who, c.Kind, c.Date, c.URL, c.Title))
	}
	return out
}

func TestCredits(t *testing.T) {
	f := newFakeForum(t)
	smallForum(f)
	dir := forumLedger(t, program)
	res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{
		`discourse:forum.lumen.example/t/812/2 discourse:kofi forum_solution 2026-10-04 https://forum.lumen.example/t/export-stops-at-10000-rows/812/2 "Export stops at 10,000 rows"`,
		`discourse:forum.lumen.example/t/815/2 discourse:kofi forum_solution 2026-10-11 https://forum.lumen.example/t/shared-filters-break-two-dashboards/815/2 "Shared filters break two dashboards"`,
		`discourse:forum.lumen.example/t/815/4 discourse:sara.l forum_solution 2026-10-12 https://forum.lumen.example/t/shared-filters-break-two-dashboards/815/4 "Shared filters break two dashboards"`,
		`discourse:forum.lumen.example/t/820/25 discourse:omar forum_solution 2026-10-13 https://forum.lumen.example/t/slow-startup/820/25 "Slow startup"`,
		// 22:30 UTC on 17 October is 18 October in Berlin.
		`discourse:forum.lumen.example/t/824/2 discourse:Kofi forum_solution 2026-10-18 https://forum.lumen.example/t/answered-late-at-night/824/2 "Answered late at night"`,
		`discourse:forum.lumen.example/t/700/2 discourse:maya forum_solution 2024-10-01 https://forum.lumen.example/t/welcome-to-the-forum/700/2 "Welcome to the forum"`,
	}
	// The pinned topic of 2024 has a kind the program defines only from
	// 2026: it is skipped, like the bots' answers.
	want = slices.Delete(want, 5, 6)
	if got := credits(res); !slices.Equal(got, want) {
		t.Errorf("credits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.ID+" "+s.Reason)
	}
	if want := []string{"discourse:forum.lumen.example/t/700/2 kind", "discourse:forum.lumen.example/t/822/2 bot", "discourse:forum.lumen.example/t/822/3 bot"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped: %q", skipped)
	}
	// One list, then each solved topic, oldest first; the post beyond
	// the view's is asked for; the unsolved topic never is.
	want = []string{"/latest.json?solved=yes", "/t/700.json", "/t/812.json", "/t/815.json", "/t/820.json", "/posts/by_number/820/25.json", "/t/822.json", "/t/823.json", "/t/824.json"}
	if got := f.paths(0); !slices.Equal(got, want) {
		t.Errorf("requests:\n%s", strings.Join(got, "\n"))
	}
	if res.Unowned["discourse:sara.l"].Credits != 1 || res.Unowned["discourse:omar"].Credits != 1 || len(res.Unowned) != 2 {
		t.Errorf("unowned: %v", res.Unowned)
	}
	state := sourcetest.Read(t, dir, "sources/discourse.yaml")
	if !strings.HasSuffix(state, "streams:\n  https://forum.lumen.example:\n    synced: 2026-10-17T22:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}

	// A second run lists the newest page again and reads only the topic at
	// the mark and, in the week's lookback, those that gave no credit:
	// what was credited and not bumped since is not read again.
	n := f.Count()
	again := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL})
	if again.Err != nil || len(again.Credits) != 0 || again.Written.State || len(again.Written.Shards) != 0 {
		t.Errorf("second run: %+v", again)
	}
	if got := f.paths(n); !slices.Equal(got, []string{"/latest.json?solved=yes", "/t/822.json", "/t/823.json", "/t/824.json"}) {
		t.Errorf("second run asked %q", got)
	}
}

// TestSharedFixture reads the solved plugin's own topic view fixture, where
// it is.
func TestSharedFixture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", "discourse", "discourse-solved-plugin-2025_topic_view_fixture.json"))
	if err != nil {
		t.Skip("../shared/data is absent:", err)
	}
	srv := sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/t/23.json" {
			w.Write(data)
			return
		}
		sourcetest.WriteJSON(w, http.StatusOK, map[string]any{"topic_list": map[string]any{"topics": []any{map[string]any{
			"id": 23, "title": "Test solved", "slug": "test-solved", "bumped_at": "2017-08-08T20:12:04.657Z", "has_accepted_answer": true}}}})
	})
	dir := forumLedger(t, strings.Replace(program, "2026-01-01", "2017-01-01", 1))
	res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: srv.URL})
	if got := credits(res); res.Err != nil || !slices.Equal(got, []string{
		`discourse:forum.lumen.example/t/23/2 discourse:kzh forum_solution 2017-08-08 https://forum.lumen.example/t/test-solved/23/2 "Test solved"`}) {
		t.Errorf("%v %q", res.Err, got)
	}
}

// bigForum is 1,000 solved topics in October, four a day or so.
func bigForum(f *fakeForum, from, n int) {
	for i := from; i < from+n; i++ {
		at := day.Add(time.Duration(i) * 40 * time.Minute)
		f.add(&fakeTopic{id: 1000 + i, title: fmt.Sprintf("Question %d", i), bumped: at, solved: true, shape: "core",
			answers: []fakePost{{number: 2, userID: 100 + i%40, user: fmt.Sprintf("helper%d", i%40), created: at}}})
	}
}

// TestPagesAndRequests: a first run over 1,000 solved topics (a month of
// a busy forum) lists 34 pages and reads each topic once; a run after 10
// new ones lists the pages of the last week (the lookback) and reads those
// 10, and the one at the mark.
func TestPagesAndRequests(t *testing.T) {
	f := newFakeForum(t)
	bigForum(f, 0, 1000)
	dir := forumLedger(t, program)
	res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 1000 || res.Stats.Requests != 34+1000 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	bigForum(f, 1000, 10)
	res = sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 10 || res.Stats.Requests != 9+11 {
		t.Errorf("incremental run: %v, %d credits, %d requests: %q", res.Err, len(res.Credits), res.Stats.Requests, f.paths(f.Count()-res.Stats.Requests))
	}
	t.Logf("discourse: first run over 1,000 solved topics: %d requests; after 10 new: %d", 34+1000, res.Stats.Requests)
}

// TestFaults: a 429 (with Retry-After, then with the wait in its body
// only) is waited out, a 502 retried, and nothing is lost or doubled.
func TestFaults(t *testing.T) {
	f := newFakeForum(t)
	smallForum(f)
	f.failNext("429", "502", "429-body")
	dir := forumLedger(t, program)
	res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 5 || res.Stats.Waited != 7*time.Second+time.Second+42*time.Second {
		t.Errorf("%v, %d credits, waited %s", res.Err, len(res.Credits), res.Stats.Waited)
	}
	// A limit longer than --max-wait stops the run, with nothing lost.
	f.failNext("429-body")
	dir = forumLedger(t, program)
	res = sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL, MaxWait: 10 * time.Second})
	var stop *httpc.StoppedError
	if !errors.As(res.Err, &stop) || stop.Reason != "rate limit" {
		t.Errorf("err = %v", res.Err)
	}
}

// TestBudget: runs stopped by the budget, each continued, write what one
// run writes, and read no topic twice.
func TestBudget(t *testing.T) {
	f := newFakeForum(t)
	smallForum(f)
	bigForum(f, 0, 40)
	ref := sourcetest.Ingest(t, forumLedger(t, program), Discourse{}, sourcetest.Options{APIURL: f.URL})
	n := f.Count()
	got := sourcetest.Continued(t, forumLedger(t, program), Discourse{}, sourcetest.Options{APIURL: f.URL, Budget: 12}, 10)
	if want := sourcetest.IDs(ref); !slices.Equal(got, want) {
		t.Errorf("interrupted runs wrote %d credits, one run %d", len(got), len(want))
	}
	// Each run reads again the topic at its mark, and those without
	// credits (822, 823) in the lookback; no other.
	views, runs := 0, 0
	for _, p := range f.paths(n) {
		if strings.HasPrefix(p, "/t/") {
			views++
		} else if p == "/latest.json?solved=yes" {
			runs++
		}
	}
	if views > 47+3*runs {
		t.Errorf("%d runs read %d topics, of 47", runs, views)
	}
}

// TestSecret: the API key goes in Discourse's own headers, to the forum
// only, and is never printed.
func TestSecret(t *testing.T) {
	f := newFakeForum(t)
	smallForum(f)
	dir := forumLedger(t, program)
	env := map[string]string{"TALLY_DISCOURSE_API_KEY": "d1sc0urse-k3y", "TALLY_DISCOURSE_API_USERNAME": "system"}
	res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL, Env: env})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if where := f.Where("d1sc0urse-k3y"); !slices.Equal(where, []string{"header Api-Key"}) {
		t.Errorf("the key went in %q", where)
	}
	for _, r := range f.Requests() {
		if r.Header.Get("Api-Username") != "system" || r.Header.Get("Authorization") != "" {
			t.Fatalf("headers %v", r.Header)
		}
	}
	// A refused key says what to set, and not the key.
	f.failNext()
	bad := sourcetest.NewServer(t, func(w http.ResponseWriter, r *http.Request) {
		sourcetest.WriteJSON(w, http.StatusForbidden, map[string]any{"errors": []string{"You are not permitted to view the requested resource. The API username or key is invalid."}, "error_type": "invalid_access"})
	})
	res = sourcetest.Ingest(t, forumLedger(t, program), Discourse{}, sourcetest.Options{APIURL: bad.URL, Env: env})
	if res.Err == nil || strings.Contains(res.Err.Error(), "d1sc0urse-k3y") || !strings.Contains(res.Err.Error(), "403 You are not permitted") {
		t.Errorf("err = %v", res.Err)
	}
}

// TestCategories: each category is a stream of its own.
func TestCategories(t *testing.T) {
	f := newFakeForum(t)
	at := day.Add(10 * time.Hour)
	f.add(&fakeTopic{id: 1, title: "In support", cat: "support", bumped: at, solved: true, shape: "core", answers: []fakePost{{number: 2, userID: 5, user: "ana", created: at}}})
	f.add(&fakeTopic{id: 2, title: "In dev", cat: "dev", bumped: at, solved: true, shape: "core", answers: []fakePost{{number: 2, userID: 6, user: "ben", created: at}}})
	f.add(&fakeTopic{id: 3, title: "Elsewhere", cat: "general", bumped: at, solved: true, shape: "core", answers: []fakePost{{number: 2, userID: 7, user: "cy", created: at}}})
	p := strings.Replace(program, "kind: forum_solution}", "kind: forum_solution, categories: [support, dev]}", 1)
	dir := forumLedger(t, p)
	res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 2 || len(res.Streams) != 2 || res.Streams[1].Key != "https://forum.lumen.example/c/dev" {
		t.Errorf("%v %q %+v", res.Err, credits(res), res.Streams)
	}
	if got := f.paths(0); !slices.Equal(got, []string{"/c/support/l/latest.json?solved=yes", "/t/1.json", "/c/dev/l/latest.json?solved=yes", "/t/2.json"}) {
		t.Errorf("requests %q", got)
	}
	// A category that does not exist says so.
	dir = forumLedger(t, strings.Replace(program, "kind: forum_solution}", "kind: forum_solution, categories: [suport]}", 1))
	if res := sourcetest.Ingest(t, dir, Discourse{}, sourcetest.Options{APIURL: f.URL}); res.Err == nil || !strings.Contains(res.Err.Error(), "/c/suport/l/latest.json: not found (404)") {
		t.Errorf("err = %v", res.Err)
	}
}

func TestSettings(t *testing.T) {
	for _, c := range []struct{ sources, want string }{
		{"  discourse: {kind: forum_solution}\n", "program.yaml:9:14: sources.discourse: url is missing"},
		{"  discourse: {url: forum.lumen.example, kind: forum_solution}\n", `program.yaml:9:20: sources.discourse.url: "forum.lumen.example" is not an http(s) URL`},
		{"  discourse: {url: https://forum.lumen.example}\n", "program.yaml:9:14: sources.discourse: kind is missing"},
		{"  discourse: {url: https://forum.lumen.example, kind: forum_solution, categories: support}\n", "program.yaml:9:83: sources.discourse.categories: write it as a list"},
	} {
		dir := forumLedger(t, strings.Split(program, "sources:\n")[0]+"sources:\n"+c.sources)
		if err := sourcetest.SetupError(t, dir, Discourse{}, sourcetest.Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %s", c.sources, err, c.want)
		}
	}
}
