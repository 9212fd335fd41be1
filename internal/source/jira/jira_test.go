package jira

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/sourcetest"
)

// fakeJira is a Jira Cloud site's enhanced search: JQL restricted to the
// program's, ordered by resolution date, pages of at most 100 linked by an
// opaque nextPageToken, no total; errors as an ErrorCollection.
type fakeJira struct {
	*sourcetest.Server
	mu     sync.Mutex
	issues []fakeIssue
	// auth, when set, is the Authorization header every request needs.
	auth string
	// fail lists answers to give before the real ones: "429", "503".
	fail []string
}

type fakeIssue struct {
	id, key, summary string
	account, kind    string // the assignee's accountId ("" for none) and accountType
	name             string
	resolved         time.Time // zero while unresolved
}

const base = `(project = COMM AND statusCategory = Done) AND resolved IS NOT EMPTY`

var since = regexp.MustCompile(` AND resolved >= "(\d{4}/\d\d/\d\d \d\d:\d\d)"`)

func newFakeJira(t *testing.T) *fakeJira {
	f := &fakeJira{}
	f.Server = sourcetest.NewServer(t, f.serve)
	return f
}

func (f *fakeJira) add(is ...fakeIssue) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.issues = append(f.issues, is...)
}

func (f *fakeJira) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fail) > 0 {
		fail := f.fail[0]
		f.fail = f.fail[1:]
		w.Header().Set("Retry-After", "4")
		w.Header().Set("RateLimit-Reason", "jira-burst-based")
		if fail == "429" {
			w.WriteHeader(http.StatusTooManyRequests)
		} else {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return
	}
	if f.auth != "" && r.Header.Get("Authorization") != f.auth {
		sourcetest.WriteJSON(w, http.StatusUnauthorized, map[string]any{"errorMessages": []string{"You are not authenticated. Authentication required to perform this operation."}, "errors": map[string]any{}})
		return
	}
	if r.URL.Path != "/rest/api/3/search/jql" {
		sourcetest.WriteJSON(w, http.StatusNotFound, map[string]any{"errorMessages": []string{"Not found"}})
		return
	}
	q := r.URL.Query()
	jql := q.Get("jql")
	rest, ok := strings.CutPrefix(jql, base)
	rest, ordered := strings.CutSuffix(rest, " ORDER BY resolved ASC, key ASC")
	var from time.Time
	if m := since.FindStringSubmatch(rest); m != nil {
		from, _ = time.Parse("2006/01/02 15:04", m[1]) // the asking account's zone: UTC
		rest = strings.Replace(rest, m[0], "", 1)
	}
	if !ok || !ordered || rest != "" || q.Get("fields") != "summary,assignee,resolutiondate" {
		sourcetest.WriteJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{"Error in the JQL Query: " + jql}, "errors": map[string]any{}})
		return
	}
	var list []fakeIssue
	for _, is := range f.issues {
		if !is.resolved.IsZero() && !is.resolved.Before(from) {
			list = append(list, is)
		}
	}
	slices.SortStableFunc(list, func(a, b fakeIssue) int { return a.resolved.Compare(b.resolved) })
	at := 0
	if tok := q.Get("nextPageToken"); tok != "" {
		data, _ := base64.StdEncoding.DecodeString(tok)
		at, _ = strconv.Atoi(strings.TrimPrefix(string(data), "offset:"))
	}
	size, _ := strconv.Atoi(q.Get("maxResults"))
	size = min(max(size, 1), 100)
	end := min(at+size, len(list))
	var issues []any
	for _, is := range list[at:end] {
		fields := map[string]any{"summary": is.summary, "resolutiondate": is.resolved.Format("2006-01-02T15:04:05.000-0700"), "assignee": nil}
		if is.account != "" {
			fields["assignee"] = map[string]any{"accountId": is.account, "accountType": is.kind, "active": true, "displayName": is.name,
				"self": "https://acme.atlassian.net/rest/api/3/user?accountId=" + is.account, "avatarUrls": map[string]any{"48x48": "https://avatar.example/a.png"}}
		}
		issues = append(issues, map[string]any{"expand": "operations,versionedRepresentations", "id": is.id, "key": is.key,
			"self": "https://acme.atlassian.net/rest/api/3/issue/" + is.id, "fields": fields})
	}
	page := map[string]any{"issues": issues, "isLast": end == len(list)}
	if end < len(list) {
		page["nextPageToken"] = base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
	}
	sourcetest.WriteJSON(w, http.StatusOK, page)
}

const program = `name: Lumen
timezone: Europe/Berlin
leadership: [ana]
scoring:
  - from: 2026-01-01
    kinds:
      task: {weight: 2}
sources:
  jira: {url: https://acme.atlassian.net, jql: project = COMM AND statusCategory = Done, kind: task}
`

func jiraLedger(t *testing.T) string {
	return sourcetest.Ledger(t, program, map[string]string{"people/ana.yaml": "name: Ana\nidentities: {jira: 5b10ac8d82e05b22cc7d4ef5}\n"})
}

var day = time.Date(2026, 10, 1, 0, 0, 0, 0, time.FixedZone("", 0))

func smallJira(f *fakeJira) {
	f.add(
		fakeIssue{id: "10042", key: "COMM-12", summary: "Translate the onboarding guide", account: "5b10ac8d82e05b22cc7d4ef5", kind: "atlassian", name: "Ana Lima", resolved: day.Add(38 * time.Hour)},
		fakeIssue{id: "10043", key: "COMM-13", summary: "Run the October meetup", account: "712020:9f3a2c1e", kind: "atlassian", name: "Bo Stein", resolved: day.Add(23*time.Hour + 30*time.Minute)},
		fakeIssue{id: "10044", key: "COMM-14", summary: "Nobody took it", resolved: day.Add(40 * time.Hour)},
		fakeIssue{id: "10045", key: "COMM-15", summary: "Closed by automation", account: "557058:automation", kind: "app", name: "Automation for Jira", resolved: day.Add(41 * time.Hour)},
		fakeIssue{id: "10046", key: "COMM-16", summary: "Still open", account: "712020:9f3a2c1e", kind: "atlassian", name: "Bo Stein"},
	)
}

func credits(res source.Result) []string {
	var out []string
	for _, c := range res.Credits {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %q %v", c.ID, c.Who, c.Kind, c.Date, c.URL, c.Title, c.Facts))
	}
	return out
}

func TestCredits(t *testing.T) {
	f := newFakeJira(t)
	smallJira(f)
	dir := jiraLedger(t)
	res := sourcetest.Ingest(t, dir, Jira{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := []string{
		// 23:30 UTC on 1 October is 2 October in Berlin.
		`jira:acme.atlassian.net/10043 jira:712020:9f3a2c1e task 2026-10-02 https://acme.atlassian.net/browse/COMM-13 "Run the October meetup" [{issue COMM-13 []}]`,
		`jira:acme.atlassian.net/10042 jira:5b10ac8d82e05b22cc7d4ef5 task 2026-10-02 https://acme.atlassian.net/browse/COMM-12 "Translate the onboarding guide" [{issue COMM-12 []}]`,
	}
	slices.Sort(want)
	if got := credits(res); !slices.Equal(got, want) {
		t.Errorf("credits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Skipped) != 1 || res.Skipped[0].ID != "jira:acme.atlassian.net/10045" || res.Skipped[0].Reason != "bot" {
		t.Errorf("skipped %+v", res.Skipped)
	}
	if res.Streams[0].What != "4 resolved issues read, 1 unassigned" {
		t.Errorf("streams %+v", res.Streams)
	}
	if h := res.Unowned["jira:712020:9f3a2c1e"]; h.Name != "Bo Stein" || h.Credits != 1 || len(res.Unowned) != 1 {
		t.Errorf("unowned %+v", res.Unowned)
	}
	if state := sourcetest.Read(t, dir, "sources/jira.yaml"); !strings.HasSuffix(state, "streams:\n  https://acme.atlassian.net:\n    synced: 2026-10-02T17:00:00Z\n") {
		t.Errorf("state:\n%s", state)
	}
	// Again: from a day before the mark, one page, nothing added.
	n := f.Count()
	res = sourcetest.Ingest(t, dir, Jira{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 0 || res.Present != 2 || res.Written.State || f.Count()-n != 1 {
		t.Errorf("second run: %+v", res)
	}
	if jql := f.Requests()[n].Query; !strings.Contains(jql, "resolved+%3E%3D+%222026%2F10%2F01+17%3A00%22") {
		t.Errorf("second run asked %s", jql)
	}
}

func bigJira(f *fakeJira, from, n int) {
	for i := from; i < from+n; i++ {
		f.add(fakeIssue{id: strconv.Itoa(20000 + i), key: fmt.Sprintf("COMM-%d", 1000+i), summary: "A task", account: fmt.Sprintf("acc-%d", i%25),
			kind: "atlassian", name: "Someone", resolved: day.Add(time.Duration(i) * 40 * time.Minute)})
	}
}

// TestPagesAndRequests: a first run over 1,000 resolved issues is 10
// pages; after 10 new ones, one page (the day before the mark and them).
func TestPagesAndRequests(t *testing.T) {
	f := newFakeJira(t)
	bigJira(f, 0, 1000)
	dir := jiraLedger(t)
	res := sourcetest.Ingest(t, dir, Jira{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 1000 || res.Stats.Requests != 10 {
		t.Fatalf("first run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	bigJira(f, 1000, 10)
	res = sourcetest.Ingest(t, dir, Jira{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 10 || res.Stats.Requests != 1 {
		t.Errorf("incremental run: %v, %d credits, %d requests", res.Err, len(res.Credits), res.Stats.Requests)
	}
	t.Logf("jira: first run over 1,000 resolved issues: 10 requests; after 10 new: %d", res.Stats.Requests)
}

// TestFaults: a 429 and a 503 with Retry-After are waited out as they
// say; a bad JQL is explained.
func TestFaults(t *testing.T) {
	f := newFakeJira(t)
	smallJira(f)
	f.fail = []string{"429", "503"}
	res := sourcetest.Ingest(t, jiraLedger(t), Jira{}, sourcetest.Options{APIURL: f.URL})
	if res.Err != nil || len(res.Credits) != 2 || res.Stats.Waited != 8*time.Second {
		t.Errorf("%v, %d credits, waited %s", res.Err, len(res.Credits), res.Stats.Waited)
	}
	dir := sourcetest.Ledger(t, strings.Replace(program, "project = COMM AND", "projct = COMM AND", 1), nil)
	res = sourcetest.Ingest(t, dir, Jira{}, sourcetest.Options{APIURL: f.URL})
	if res.Err == nil || !strings.HasPrefix(res.Err.Error(), "Jira refused the search: Error in the JQL Query: (projct = COMM") || !strings.HasSuffix(res.Err.Error(), "; check sources.jira.jql") {
		t.Errorf("err = %v", res.Err)
	}
	dir = sourcetest.Ledger(t, strings.Replace(program, "Done, kind", "Done ORDER BY key, kind", 1), nil)
	if err := sourcetest.SetupError(t, dir, Jira{}, sourcetest.Options{}); err == nil || !strings.Contains(err.Error(), "program.yaml:9:48: sources.jira.jql: leave ORDER BY out") {
		t.Errorf("err = %v", err)
	}
}

// TestBudget: runs stopped by the budget, each continued, write what one
// run writes.
func TestBudget(t *testing.T) {
	f := newFakeJira(t)
	smallJira(f)
	bigJira(f, 0, 350)
	ref := sourcetest.Ingest(t, jiraLedger(t), Jira{}, sourcetest.Options{APIURL: f.URL})
	got := sourcetest.Continued(t, jiraLedger(t), Jira{}, sourcetest.Options{APIURL: f.URL, Budget: 2}, 6)
	if want := sourcetest.IDs(ref); !slices.Equal(got, want) {
		t.Errorf("interrupted runs wrote %d credits, one run %d", len(got), len(want))
	}
}

// TestSecret: the e-mail and the token go together as Basic
// authentication, to the site only, and are never printed.
func TestSecret(t *testing.T) {
	f := newFakeJira(t)
	smallJira(f)
	f.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte("bot@acme.example:j1ra-t0ken"))
	env := map[string]string{"TALLY_JIRA_EMAIL": "bot@acme.example", "TALLY_JIRA_TOKEN": "j1ra-t0ken"}
	if res := sourcetest.Ingest(t, jiraLedger(t), Jira{}, sourcetest.Options{APIURL: f.URL, Env: env}); res.Err != nil || len(res.Credits) != 2 {
		t.Fatalf("%v, %d credits", res.Err, len(res.Credits))
	}
	if where := f.Where(base64.StdEncoding.EncodeToString([]byte("bot@acme.example:j1ra-t0ken"))); !slices.Equal(where, []string{"header Authorization"}) {
		t.Errorf("the token went in %q", where)
	}
	if where := f.Where("j1ra-t0ken"); len(where) != 0 {
		t.Errorf("the token went in clear in %q", where)
	}
	env["TALLY_JIRA_TOKEN"] = "wr0ng"
	res := sourcetest.Ingest(t, jiraLedger(t), Jira{}, sourcetest.Options{APIURL: f.URL, Env: env})
	if res.Err == nil || strings.Contains(res.Err.Error(), "wr0ng") || !strings.Contains(res.Err.Error(), "check TALLY_JIRA_EMAIL and TALLY_JIRA_TOKEN") {
		t.Errorf("err = %v", res.Err)
	}
	delete(env, "TALLY_JIRA_TOKEN")
	if err := sourcetest.SetupError(t, jiraLedger(t), Jira{}, sourcetest.Options{APIURL: f.URL, Env: env}); err == nil || !strings.Contains(err.Error(), "set both TALLY_JIRA_EMAIL and TALLY_JIRA_TOKEN") {
		t.Errorf("err = %v", err)
	}
}

// TestSharedPages reads the resolution dates of real search pages, where
// they are: an offset without a colon.
func TestSharedPages(t *testing.T) {
	for _, name := range []string{"perceval_jira_issues_page_1.json", "perceval_jira_issues_page_2.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", "jira", name))
		if err != nil {
			t.Skip("../shared/data is absent:", err)
		}
		var page struct{ Issues []issue }
		if err := json.Unmarshal(data, &page); err != nil {
			t.Fatal(err)
		}
		for _, is := range page.Issues {
			if d := is.Fields.ResolutionDate; d != "" {
				if _, err := time.Parse(resolutionLayout, d); err != nil {
					t.Errorf("%s: %v", is.Key, err)
				}
			}
		}
	}
}
