package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ingestAPI is an httptest server that answers the REST calls ingestion
// makes the way api.github.com does: Link pagination whose next links use
// the /repositories/{id}/... form, rate-limit headers on every response,
// a 403 with x-ratelimit-remaining: 0 once the window is spent, and
// whatever faults a test injects.
type ingestAPI struct {
	t     testing.TB
	srv   *httptest.Server
	clock *ingestClock
	token string

	mu       sync.Mutex
	repos    map[string]*ingestRepo
	requests []string // "GET /path?query", in order
	limit    int
	used     int
	reset    time.Time
	// sinceAfter makes the issues list's since leave out its own instant,
	// as GitHub's reference words it ("updated after"); by default it is
	// included.
	sinceAfter bool
	// fault, when set, may answer a request itself (returning true); n is
	// the request's number, from 1.
	fault func(w http.ResponseWriter, r *http.Request, n int) bool
}

// ingestRepo is one repository's data, as the API's JSON objects.
type ingestRepo struct {
	id       int
	pulls    []map[string]any
	reviews  map[int][]map[string]any
	issues   []map[string]any // issues proper; pull requests are added as issues too
	releases []map[string]any
}

// ingestClock is the fake clock that the server and the ingestion share:
// sleeping moves it on at once.
type ingestClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *ingestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *ingestClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *ingestClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}

func newIngestAPI(t testing.TB, now time.Time) *ingestAPI {
	t.Helper()
	a := &ingestAPI{
		t: t, clock: &ingestClock{t: now}, token: "test-token-value",
		repos: map[string]*ingestRepo{}, limit: 5000,
	}
	a.reset = now.Add(time.Hour).Truncate(time.Second)
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// URL is the API root, as GITHUB_API_URL would give it.
func (a *ingestAPI) URL() string { return a.srv.URL + "/" }

func (a *ingestAPI) repo(name string) *ingestRepo {
	a.mu.Lock()
	defer a.mu.Unlock()
	r := a.repos[name]
	if r == nil {
		r = &ingestRepo{id: 7000 + len(a.repos), reviews: map[int][]map[string]any{}}
		a.repos[name] = r
	}
	return r
}

// Requests returns the requests served so far.
func (a *ingestAPI) Requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.requests)
}

func (a *ingestAPI) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.requests = append(a.requests, r.Method+" "+r.URL.RequestURI())
	n := len(a.requests)
	fault := a.fault
	a.mu.Unlock()

	if got := r.Header.Get("Authorization"); got != "Bearer "+a.token {
		a.t.Errorf("%s: Authorization %q", r.URL, got)
	}
	if got := r.Header.Get("User-Agent"); got != "tally" {
		a.t.Errorf("%s: User-Agent %q, want tally", r.URL, got)
	}
	if fault != nil && fault(w, r, n) {
		return
	}

	a.mu.Lock()
	now := a.clock.Now()
	if !now.Before(a.reset) {
		a.used, a.reset = 0, now.Add(time.Hour).Truncate(time.Second)
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(a.limit))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(a.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	if a.used >= a.limit {
		a.mu.Unlock()
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Used", strconv.Itoa(a.limit))
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"API rate limit exceeded for user ID 5001.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}`)
		return
	}
	a.used++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(a.limit-a.used))
	h.Set("X-RateLimit-Used", strconv.Itoa(a.used))
	a.mu.Unlock()

	items, id, kind, err := a.route(r)
	if err != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)
		return
	}
	a.page(w, r, items, id, kind)
}

// route finds the list a request asks for, filtered and sorted as GitHub
// does.
func (a *ingestAPI) route(r *http.Request) (items []map[string]any, id int, kind string, err error) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var repo *ingestRepo
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case len(parts) >= 4 && parts[0] == "repos":
		repo = a.repos[parts[1]+"/"+parts[2]]
		parts = parts[3:]
	case len(parts) >= 3 && parts[0] == "repositories":
		for _, rp := range a.repos {
			if strconv.Itoa(rp.id) == parts[1] {
				repo = rp
			}
		}
		parts = parts[2:]
	}
	if repo == nil {
		return nil, 0, "", fmt.Errorf("no such repository")
	}
	q := r.URL.Query()
	switch {
	case len(parts) == 1 && parts[0] == "pulls":
		for _, p := range repo.pulls {
			if st := q.Get("state"); st == "all" || st == p["state"] {
				items = append(items, p)
			}
		}
		if q.Get("sort") != "updated" {
			a.t.Errorf("pulls listed without sort=updated: %s", r.URL)
		}
		sortByUpdated(items, q.Get("direction") != "asc")
		return items, repo.id, "pulls", nil
	case len(parts) == 3 && parts[0] == "pulls" && parts[2] == "reviews":
		n, _ := strconv.Atoi(parts[1])
		return repo.reviews[n], repo.id, "pulls/" + parts[1] + "/reviews", nil
	case len(parts) == 1 && parts[0] == "issues":
		var since time.Time
		if s := q.Get("since"); s != "" {
			if since, err = time.Parse(time.RFC3339, s); err != nil {
				a.t.Errorf("since=%q: %v", s, err)
			}
		}
		all := slices.Clone(repo.issues)
		for _, p := range repo.pulls {
			all = append(all, pullAsIssue(p))
		}
		for _, is := range all {
			if st := q.Get("state"); st != "all" && st != is["state"] {
				continue
			}
			if q.Get("assignee") == "*" && len(is["assignees"].([]any)) == 0 {
				continue
			}
			if u, _ := time.Parse(time.RFC3339, is["updated_at"].(string)); u.Before(since) || a.sinceAfter && u.Equal(since) {
				continue
			}
			items = append(items, is)
		}
		sortByUpdated(items, q.Get("direction") != "asc")
		return items, repo.id, "issues", nil
	case len(parts) == 1 && parts[0] == "releases":
		items = slices.Clone(repo.releases)
		slices.SortStableFunc(items, func(x, y map[string]any) int {
			return strings.Compare(y["created_at"].(string), x["created_at"].(string))
		})
		return items, repo.id, "releases", nil
	}
	return nil, 0, "", fmt.Errorf("no such list")
}

// page writes one page of items, with GitHub's Link header.
func (a *ingestAPI) page(w http.ResponseWriter, r *http.Request, items []map[string]any, id int, kind string) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	last := max((len(items)+per-1)/per, 1)
	lo, hi := min((page-1)*per, len(items)), min(page*per, len(items))
	link := func(p int, rel string) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s/repositories/%d/%s?%s>; rel="%s"`, a.srv.URL, id, kind, v.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	body := items[lo:hi]
	if body == nil {
		body = []map[string]any{}
	}
	if err := json.NewEncoder(w).Encode(body); err != nil {
		a.t.Error(err)
	}
}

func sortByUpdated(items []map[string]any, desc bool) {
	slices.SortStableFunc(items, func(x, y map[string]any) int {
		c := strings.Compare(x["updated_at"].(string), y["updated_at"].(string))
		if desc {
			return -c
		}
		return c
	})
}

// pullAsIssue is a pull request as the issues list shows it.
func pullAsIssue(p map[string]any) map[string]any {
	is := map[string]any{}
	for _, k := range []string{"id", "node_id", "number", "state", "title", "user", "assignees", "created_at", "updated_at", "closed_at", "body", "labels", "locked"} {
		is[k] = p[k]
	}
	is["html_url"] = p["html_url"]
	is["pull_request"] = map[string]any{
		"url": p["url"], "html_url": p["html_url"], "diff_url": p["diff_url"], "patch_url": p["patch_url"],
		"merged_at": p["merged_at"],
	}
	if is["assignees"] == nil {
		is["assignees"] = []any{}
	}
	return is
}

// Fixture builders: each starts from a template in testdata/api, shaped
// after the real API's responses, and sets what the test needs.

func ingestTemplate(t testing.TB, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "api", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func ingestUser(login, typ string) map[string]any {
	return map[string]any{"login": login, "id": float64(len(login) * 101), "html_url": "https://github.com/" + login, "type": typ, "site_admin": false}
}

func ingestTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// addPull adds a pull request; merged zero means not merged (closed unless
// open is set).
func (a *ingestAPI) addPull(repo string, n int, author, authorType, title string, opened, updated, merged time.Time, open bool) {
	p := ingestTemplate(a.t, "pull")
	base := "https://github.com/" + repo
	p["number"], p["id"], p["title"] = float64(n), float64(1000000+n), title
	p["html_url"] = fmt.Sprintf("%s/pull/%d", base, n)
	p["url"] = fmt.Sprintf("%s/repos/%s/pulls/%d", a.srv.URL, repo, n)
	p["user"] = ingestUser(author, authorType)
	p["created_at"], p["updated_at"], p["merged_at"] = ingestTime(opened), ingestTime(updated), ingestTime(merged)
	p["closed_at"] = ingestTime(merged)
	p["state"] = "closed"
	if open {
		p["state"], p["closed_at"] = "open", nil
	} else if merged.IsZero() {
		p["closed_at"] = ingestTime(updated)
	}
	r := a.repo(repo)
	a.mu.Lock()
	r.pulls = append(r.pulls, p)
	a.mu.Unlock()
}

func (a *ingestAPI) addReview(repo string, pr, id int, reviewer, reviewerType, state string, at time.Time) {
	v := ingestTemplate(a.t, "review")
	v["id"], v["state"] = float64(id), state
	v["user"] = ingestUser(reviewer, reviewerType)
	v["html_url"] = fmt.Sprintf("https://github.com/%s/pull/%d#pullrequestreview-%d", repo, pr, id)
	v["submitted_at"] = ingestTime(at)
	if state == "PENDING" {
		delete(v, "submitted_at")
	}
	r := a.repo(repo)
	a.mu.Lock()
	r.reviews[pr] = append(r.reviews[pr], v)
	a.mu.Unlock()
}

// addIssue adds a closed issue; reason "" leaves state_reason null, as
// for issues closed before GitHub recorded reasons.
func (a *ingestAPI) addIssue(repo string, n int, title, reason string, closed, updated time.Time, assignees ...map[string]any) {
	is := ingestTemplate(a.t, "issue")
	is["number"], is["id"], is["title"] = float64(n), float64(2000000+n), title
	is["html_url"] = fmt.Sprintf("https://github.com/%s/issues/%d", repo, n)
	is["closed_at"], is["updated_at"] = ingestTime(closed), ingestTime(updated)
	is["state_reason"] = reason
	if reason == "" {
		is["state_reason"] = nil
	}
	as := []any{}
	for _, u := range assignees {
		as = append(as, u)
	}
	is["assignees"] = as
	if len(as) > 0 {
		is["assignee"] = as[0]
	}
	r := a.repo(repo)
	a.mu.Lock()
	r.issues = append(r.issues, is)
	a.mu.Unlock()
}

func (a *ingestAPI) addRelease(repo string, id int, tag, name string, author map[string]any, created, published time.Time, draft bool) {
	v := ingestTemplate(a.t, "release")
	v["id"], v["tag_name"], v["name"], v["draft"] = float64(id), tag, name, draft
	v["html_url"] = fmt.Sprintf("https://github.com/%s/releases/tag/%s", repo, tag)
	v["author"] = author
	v["created_at"], v["published_at"] = ingestTime(created), ingestTime(published)
	r := a.repo(repo)
	a.mu.Lock()
	r.releases = append(r.releases, v)
	a.mu.Unlock()
}
