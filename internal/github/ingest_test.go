package github

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
)

var updateIngestGolden = flag.Bool("update", false, "rewrite the expected files in testdata")

const widgetRepo = "lumen/widget"

var (
	ingestNow  = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	ingestBase = time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
)

// newWidgetAPI serves lumen/widget: 230 pull requests updated in October
// 2026 (three pages), most merged, some closed unmerged, some open; bots
// among the authors and reviewers; reviews by authors, comments-only
// reviews, a pull request with two pages of reviews; issues closed as
// completed, as not planned and before reasons existed; releases, a draft
// and one by a bot.
func newWidgetAPI(t *testing.T) *githubtest.Server {
	a := newIngestAPI(t, ingestNow)
	a.MarkBot("renovate") // a bot without the [bot] of GitHub Apps
	for i := 1; i <= 230; i++ {
		p := githubtest.Pull{Number: i, State: "closed", Author: fmt.Sprintf("dev%d", i%4), Title: fmt.Sprintf("Change number %d", i)}
		p.Created = ingestBase.Add(time.Duration(i) * 3 * time.Hour)
		p.Updated = p.Created.Add(2 * time.Hour)
		switch i {
		case 3:
			// A pull request with an assignee shows in the issues list too.
			p.Assignees = []string{"dev0"}
		case 11:
			p.Author = "dependabot[bot]"
		case 12:
			p.Author = "lumen-ci" // a person marked bot in the ledger
		case 13:
			p.Author = "renovate"
		case 229:
			// Merged late on 31 October in UTC: 1 November in Berlin.
			p.Created = time.Date(2026, 10, 31, 20, 0, 0, 0, time.UTC)
			p.Updated = time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)
		}
		switch {
		case i%7 == 0:
			p.State = "open"
		case i%5 != 0:
			p.Merged = p.Updated
		}
		a.PutPull(p)
	}
	review := func(pr, id int, login, state string, at time.Time) {
		a.PutReview(pr, githubtest.Review{ID: id, Login: login, State: state, Submitted: at})
	}
	pr1 := ingestBase.Add(3 * time.Hour)
	review(1, 11, "rev1", "APPROVED", pr1.Add(10*time.Minute))
	review(1, 12, "dev1", "APPROVED", pr1.Add(11*time.Minute)) // the author
	review(1, 13, "rev2", "COMMENTED", pr1.Add(12*time.Minute))
	review(1, 14, "rev3", "CHANGES_REQUESTED", pr1.Add(13*time.Minute))
	review(1, 15, "rev3", "APPROVED", pr1.Add(50*time.Minute))
	review(1, 16, "rev4", "PENDING", time.Time{})
	review(1, 17, "github-actions[bot]", "APPROVED", pr1.Add(14*time.Minute))
	pr2 := ingestBase.Add(6 * time.Hour)
	for k := range 120 {
		who, state := "rev5", "COMMENTED"
		switch k {
		case 5:
			who, state = "rev7", "DISMISSED"
		case 110: // on the second page
			who, state = "rev6", "APPROVED"
		}
		review(2, 100+k, who, state, pr2.Add(time.Duration(k)*time.Second))
	}
	review(5, 21, "rev2", "CHANGES_REQUESTED", ingestBase.Add(15*time.Hour))
	review(7, 22, "rev1", "APPROVED", ingestBase.Add(21*time.Hour))

	day := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, time.UTC) }
	crash := closedIssue(501, "Crash on start", "completed", day(3, 12), "dev1", "dev2")
	crash.Created = time.Date(2026, 9, 20, 12, 0, 0, 0, time.UTC) // opened the month before
	a.PutIssue(crash)
	a.PutIssue(closedIssue(502, "Wish for a pony", "not_planned", day(4, 12), "dev1"))
	a.PutIssue(closedIssue(503, "Nobody took it", "completed", day(5, 12)))
	a.PutIssue(closedIssue(504, "Closed long ago", "", day(6, 12), "dev3"))
	a.PutIssue(closedIssue(505, "Tidied by automation", "completed", day(7, 12), "lumen-ci"))

	a.PutRelease(githubtest.Release{ID: 9001, Tag: "v1.0.0", Name: "Widget 1.0.0", Author: "releaser", Created: day(5, 10), Published: day(5, 11)}) // before releases count
	a.PutRelease(githubtest.Release{ID: 9002, Tag: "v1.1.0", Author: "releaser", Created: day(20, 10), Published: day(20, 11)})                     // no name: the tag is the title
	a.PutRelease(githubtest.Release{ID: 9003, Tag: "v1.2.0", Name: "Widget 1.2.0", Author: "releaser", Created: day(22, 10), Draft: true})
	a.PutRelease(githubtest.Release{ID: 9004, Tag: "v1.1.1", Name: "Widget 1.1.1", Author: "github-actions[bot]", Created: day(25, 10), Published: day(25, 11)})
	return a
}

// copyIngestLedger copies testdata/ledger to a temporary folder.
func copyIngestLedger(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "ledger")))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// ingestAndWrite runs one ingestion against the ledger at dir and writes what
// it found, as the command does.
func ingestAndWrite(t *testing.T, a *githubtest.Server, dir string, opt IngestOptions) (IngestSummary, IngestWritten, error) {
	t.Helper()
	l, err := LoadIngestLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	if opt.Repos == nil {
		opt.Repos = []string{widgetRepo}
	}
	opt.APIURL, opt.Token, opt.Ledger, opt.HTTPClient = a.URL, ingestToken, l, a.Client()
	opt.Now, opt.Sleep = a.Clock.Now, a.Clock.Sleep
	sum, runErr := Ingest(context.Background(), opt)
	w, err := WriteIngest(dir, l, sum)
	if err != nil {
		t.Fatal(err)
	}
	return sum, w, runErr
}

// cleanIngestTree is the ledger after one plain run from a: what a run
// that was stopped, slowed or refused must end as.
func cleanIngestTree(t *testing.T, a *githubtest.Server) map[string]string {
	t.Helper()
	dir := copyIngestLedger(t)
	if _, _, err := ingestAndWrite(t, a, dir, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	return readIngestTree(t, dir)
}

// readIngestTree returns every file under dir, by slash path.
func readIngestTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameIngestTree(t *testing.T, got, want map[string]string) {
	t.Helper()
	for _, p := range sortedIngestPaths(want) {
		if got[p] != want[p] {
			t.Errorf("%s differs:\n%s\nwant:\n%s", p, got[p], want[p])
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s should not exist", p)
		}
	}
}

func sortedIngestPaths(m map[string]string) []string {
	var ps []string
	for p := range m {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

func countIngestKinds(cs []ledger.Credit) map[string]int {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Kind]++
	}
	return n
}

func TestIngestCreditsAndRequests(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	before := readIngestTree(t, dir)
	sum, w, err := ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// The request economy: one list request per 100 pull requests updated
	// in the window, one review request per such pull request (two for
	// the one with 120 reviews), one for the issues, one for the releases.
	if len(sum.Repos) != 1 {
		t.Fatalf("repos: %+v", sum.Repos)
	}
	rs := sum.Repos[0]
	want := IngestRepo{Repo: widgetRepo, PullRequestRequests: 3, ReviewRequests: 231, IssueRequests: 1, ReleaseRequests: 1, PullRequests: 230, Complete: true}
	if rs != want {
		t.Errorf("repo summary %+v, want %+v", rs, want)
	}
	if sum.Requests != 236 || len(a.Requests()) != 236 {
		t.Errorf("requests: %d counted, %d served; want 236", sum.Requests, len(a.Requests()))
	}
	if sum.Rate.Remaining != 5000-236 || sum.Rate.Limit != 5000 {
		t.Errorf("rate %+v", sum.Rate)
	}
	// go-github follows the /repositories/{id} next links by page number.
	reqs := a.Requests()
	if !slices.Contains(reqs, "GET /repos/lumen/widget/pulls?direction=desc&page=3&per_page=100&sort=updated&state=all") {
		t.Errorf("third page of pull requests not asked for:\n%s", strings.Join(reqs[:5], "\n"))
	}
	for _, want := range []string{
		"GET /repos/lumen/widget/releases?per_page=100",
		"GET /repos/lumen/widget/issues?assignee=%2A&direction=asc&per_page=100&sort=updated&state=closed",
		"GET /repos/lumen/widget/pulls?direction=desc&per_page=100&sort=updated&state=all",
		"GET /repos/lumen/widget/pulls/2/reviews?per_page=100",
		"GET /repos/lumen/widget/pulls/2/reviews?page=2&per_page=100",
	} {
		if !slices.Contains(reqs, want) {
			t.Errorf("not asked: %s", want)
		}
	}

	kinds := countIngestKinds(sum.Credits)
	// 230 pull requests: 46 closed unmerged or open ... 155 merged by
	// people, one of which (#4) the ledger already holds.
	if got := (map[string]int{KindPullRequest: 154, KindReview: 6, KindIssue: 3, KindRelease: 1}); !equalKindCounts(kinds, got) {
		t.Errorf("credits per kind %v, want %v", kinds, got)
	}
	if sum.Present != 1 {
		t.Errorf("present %d, want 1 (#4)", sum.Present)
	}
	byID := map[string]ledger.Credit{}
	for _, c := range sum.Credits {
		byID[c.ID] = c
	}
	for _, id := range []string{
		"github:lumen/widget#1/review/rev1",
		"github:lumen/widget#1/review/rev3",
		"github:lumen/widget#2/review/rev6",  // on the second page of reviews
		"github:lumen/widget#2/review/rev7",  // dismissed: it had approved or asked for changes
		"github:lumen/widget#5/review/rev2",  // a closed, unmerged pull request
		"github:lumen/widget#7/review/rev1",  // an open one
		"github:lumen/widget#501/issue/dev1", // each assignee
		"github:lumen/widget#501/issue/dev2",
		"github:lumen/widget#504/issue/dev3", // no reason: closed before reasons existed
		"github:lumen/widget/release/9002",
		"github:lumen/widget#229",
	} {
		if _, ok := byID[id]; !ok {
			t.Errorf("missing %s", id)
		}
	}
	for _, id := range []string{
		"github:lumen/widget#1/review/dev1",                                          // the author's own review
		"github:lumen/widget#1/review/rev2",                                          // a comment only
		"github:lumen/widget#1/review/rev4",                                          // pending
		"github:lumen/widget#1/review/github-actions[bot]",                           // a bot
		"github:lumen/widget#2/review/rev5",                                          // comments only
		"github:lumen/widget#5",                                                      // closed without merging
		"github:lumen/widget#7",                                                      // open
		"github:lumen/widget#11", "github:lumen/widget#12", "github:lumen/widget#13", // bots
		"github:lumen/widget#502/issue/dev1", // not planned
		"github:lumen/widget#3/issue/dev0",   // a pull request in the issues list
		"github:lumen/widget#505/issue/lumen-ci",
		"github:lumen/widget/release/9001", // before the program counts releases
		"github:lumen/widget/release/9003", // a draft
		"github:lumen/widget/release/9004", // a bot
	} {
		if _, ok := byID[id]; ok {
			t.Errorf("%s should not be credited", id)
		}
	}
	if c := byID["github:lumen/widget#1/review/rev3"]; c.Date != ledger.MustDate("2026-10-01") ||
		c.URL != "https://github.com/lumen/widget/pull/1#pullrequestreview-14" || c.Title != "Change number 1" || c.Who != "github:rev3" {
		t.Errorf("rev3's review is dated at the first review that asked for changes: %+v", c)
	}
	if c := byID["github:lumen/widget#229"]; c.Date != ledger.MustDate("2026-11-01") {
		t.Errorf("#229 merged 23:30 UTC on 31 October is 1 November in Berlin: %+v", c)
	}
	if c := byID["github:lumen/widget#501/issue/dev1"]; !reflect.DeepEqual(c.Facts, []ledger.Fact{{Key: "closed", Value: "2026-10-03T12:00:00Z"}, {Key: "opened", Value: "2026-09-20T12:00:00Z"}}) {
		t.Errorf("an issue's credit records when it was opened and closed, for the time to close: %+v", c.Facts)
	}
	if c := byID["github:lumen/widget/release/9002"]; c.Title != "v1.1.0" || c.Who != "github:releaser" {
		t.Errorf("release: %+v", c)
	}
	var skipped []string
	for _, s := range sum.Skipped {
		skipped = append(skipped, s.Reason+" "+s.ID)
	}
	slices.Sort(skipped)
	wantSkipped := []string{
		"bot github:lumen/widget#1/review/github-actions[bot]",
		"bot github:lumen/widget#11",
		"bot github:lumen/widget#12",
		"bot github:lumen/widget#13",
		"bot github:lumen/widget#505/issue/lumen-ci",
		"bot github:lumen/widget/release/9004",
		"kind github:lumen/widget/release/9001",
	}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(wantSkipped, "\n"))
	}

	// The files written, exactly.
	if len(w.Shards) != 2 || !w.State {
		t.Errorf("written: %+v", w)
	}
	after := readIngestTree(t, dir)
	for _, p := range []string{"credits/2026/10/github.yaml", "credits/2026/11/github.yaml", "sources/github.yaml"} {
		ingestGolden(t, filepath.Join("testdata", "want", p), after[p])
	}
	// The hand-written shard keeps every line it had, in order.
	if !keepsIngestLines(before["credits/2026/10/github.yaml"], after["credits/2026/10/github.yaml"]) {
		t.Error("the hand-written lines of credits/2026/10/github.yaml were changed")
	}

	// The written ledger loads clean.
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil || len(findings) > 0 {
		t.Fatalf("%v %v", err, findings)
	}
	if len(l.Credits) != 2+164 {
		t.Errorf("%d credits in the ledger, want %d", len(l.Credits), 2+164)
	}
}

func equalKindCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// keepsIngestLines tells whether every line of old is in new, in order.
func keepsIngestLines(old, new string) bool {
	nl := strings.SplitAfter(new, "\n")
	i := 0
	for _, l := range strings.SplitAfter(old, "\n") {
		for i < len(nl) && nl[i] != l {
			i++
		}
		if i == len(nl) {
			return false
		}
		i++
	}
	return true
}

func ingestGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateIngestGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", path, ingestLineDiff(string(want), got))
	}
}

// ingestLineDiff shows the first lines that differ.
func ingestLineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return ""
}

func TestIngestTwiceGivesTheSameLedger(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	if _, _, err := ingestAndWrite(t, a, dir, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	first := readIngestTree(t, dir)
	served := len(a.Requests())
	sum, w, err := ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameIngestTree(t, readIngestTree(t, dir), first)
	if len(sum.Credits) != 0 || len(w.Shards) != 0 || w.State {
		t.Errorf("second run added %d credits, wrote %+v", len(sum.Credits), w)
	}
	// Only what changed since is asked for: one page each of releases,
	// issues and pull requests, which hold only the ones at the
	// watermarks, and the reviews of the pull request at the watermark.
	if got := len(a.Requests()) - served; got != 4 || sum.Requests != 4 {
		t.Errorf("second run: %d requests served, %d counted; want 4:\n%s", got, sum.Requests, strings.Join(a.Requests()[served:], "\n"))
	}

	// A pull request merged and reviewed since: only it is fetched again.
	a.Clock.Sleep(context.Background(), 24*time.Hour)
	late := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	a.PutPull(mergedPull(231, "dev2", "A later change", late))
	a.PutReview(231, githubtest.Review{ID: 31, Login: "rev1", State: "APPROVED", Submitted: late.Add(-30 * time.Minute)})
	served = len(a.Requests())
	sum, _, err = ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := countIngestKinds(sum.Credits); !equalKindCounts(got, map[string]int{KindPullRequest: 1, KindReview: 1}) {
		t.Errorf("third run credits %v", got)
	}
	if got := len(a.Requests()) - served; got != 5 {
		t.Errorf("third run: %d requests, want 5 (releases, issues, pull requests, the reviews of #229 and #231):\n%s", got, strings.Join(a.Requests()[served:], "\n"))
	}
}

// interruptedIngestRuns ingests into a fresh ledger over and over, each run
// stopped by stop(run), until one completes; it returns every run's
// credits.
func interruptedIngestRuns(t *testing.T, a *githubtest.Server, dir string, opt func(run int) IngestOptions, wantReason string) []ledger.Credit {
	t.Helper()
	var all []ledger.Credit
	for run := 0; ; run++ {
		if run > 200 {
			t.Fatal("the runs never complete")
		}
		sum, _, err := ingestAndWrite(t, a, dir, opt(run))
		all = append(all, sum.Credits...)
		if err == nil {
			return all
		}
		var stop *StoppedError
		if !errors.As(err, &stop) || stop.Reason != wantReason {
			t.Fatalf("run %d: %v, want a stop for %s", run, err, wantReason)
		}
	}
}

func TestIngestResumesAfterBudget(t *testing.T) {
	want := cleanIngestTree(t, newWidgetAPI(t))
	for _, budget := range []int{20, 60, 150} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			a := newWidgetAPI(t)
			dir := copyIngestLedger(t)
			all := interruptedIngestRuns(t, a, dir, func(int) IngestOptions { return IngestOptions{Budget: budget} }, "budget")
			sameIngestTree(t, readIngestTree(t, dir), want)
			// Nothing doubled: every credit was written by exactly one run.
			ids := map[string]int{}
			for _, c := range all {
				ids[c.ID]++
			}
			for id, n := range ids {
				if n > 1 {
					t.Errorf("%s written by %d runs", id, n)
				}
			}
			if len(ids) != 164 {
				t.Errorf("%d credits over all runs, want 164", len(ids))
			}
		})
	}
}

func TestIngestBudgetCapsRequests(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{Budget: 10})
	var stop *StoppedError
	if !errors.As(err, &stop) || stop.Reason != "budget" {
		t.Fatalf("%v, want a budget stop", err)
	}
	if sum.Requests != 10 || len(a.Requests()) != 10 {
		t.Errorf("%d requests counted, %d served; want 10", sum.Requests, len(a.Requests()))
	}
	if sum.Repos[0].Complete {
		t.Error("a stopped repository is not complete")
	}
	// 1 release + 1 issue + 3 pull request pages + 5 review requests (#2
	// has two pages): the merged pull requests (found by the listing) and
	// the reviews of the four oldest are kept, and the watermark moved
	// past those four only.
	st := sum.State[0]
	if st.Releases == "" || st.Issues == "" || st.PullRequests != ingestBase.Add(4*3*time.Hour+2*time.Hour).Format(time.RFC3339) {
		t.Errorf("state %+v", st)
	}
}

func TestIngestWaitsForThePrimaryLimit(t *testing.T) {
	// The window runs out after 100 requests; the reset is an hour away,
	// within --max-wait: the run waits and goes on.
	want := cleanIngestTree(t, newWidgetAPI(t))
	a := newWidgetAPI(t)
	a.RateLimit = 100
	dir := copyIngestLedger(t)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{MaxWait: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	sameIngestTree(t, readIngestTree(t, dir), want)
	slept := a.Clock.Slept()
	if len(slept) != 2 || slept[0] < 59*time.Minute || slept[0] > time.Hour+time.Second {
		t.Errorf("slept %v, want two waits of about an hour", slept)
	}
	// The last request of each window says remaining 0, so the run waits
	// before the next one instead of being refused: no request is wasted.
	if sum.Requests != 236 {
		t.Errorf("%d requests, want 236", sum.Requests)
	}
}

func TestIngestWaitsAfterA403(t *testing.T) {
	// Another client spent the window: the first answer is a 403 with
	// x-ratelimit-remaining: 0.
	a := newWidgetAPI(t)
	a.Exhaust()
	dir := copyIngestLedger(t)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{MaxWait: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if slept := a.Clock.Slept(); len(slept) != 1 || slept[0] != time.Hour+time.Second {
		t.Errorf("slept %v, want the hour to the reset and a second", slept)
	}
	if sum.Requests != 237 || len(sum.Credits) != 164 {
		t.Errorf("%d requests (want 236 and the refused one), %d credits", sum.Requests, len(sum.Credits))
	}
}

func TestIngestStopsAtTheRateLimitAndResumes(t *testing.T) {
	want := cleanIngestTree(t, newWidgetAPI(t))
	a := newWidgetAPI(t)
	a.RateLimit = 60
	dir := copyIngestLedger(t)
	all := interruptedIngestRuns(t, a, dir, func(run int) IngestOptions {
		if run > 0 {
			a.Clock.Sleep(context.Background(), time.Hour) // the next scheduled run
		}
		return IngestOptions{MaxWait: time.Minute}
	}, "rate limit")
	sameIngestTree(t, readIngestTree(t, dir), want)
	if len(all) != 164 {
		t.Errorf("%d credits over all runs, want 164", len(all))
	}
	// The run waited for nothing longer than --max-wait.
	for _, d := range a.Clock.Slept() {
		if d != time.Hour {
			t.Errorf("slept %v", d)
		}
	}
}

func TestIngestSecondaryLimits(t *testing.T) {
	a := newWidgetAPI(t)
	a.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		switch n {
		case 3:
			githubtest.SecondaryRateLimit(w, http.StatusForbidden, "30")
			return true
		case 5:
			githubtest.SecondaryRateLimit(w, http.StatusTooManyRequests, "7")
			return true
		case 8: // no Retry-After: wait a minute, as GitHub asks
			githubtest.SecondaryRateLimit(w, http.StatusForbidden, "")
			return true
		}
		return false
	}
	dir := copyIngestLedger(t)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Clock.Slept(), []time.Duration{30 * time.Second, 7 * time.Second, time.Minute}; !slices.Equal(got, want) {
		t.Errorf("slept %v, want %v", got, want)
	}
	if sum.Requests != 239 || len(sum.Credits) != 164 {
		t.Errorf("%d requests (236 and 3 refused), %d credits", sum.Requests, len(sum.Credits))
	}

	// A secondary limit longer than --max-wait stops the run.
	b := newWidgetAPI(t)
	b.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 2 {
			githubtest.SecondaryRateLimit(w, http.StatusForbidden, "3600")
			return true
		}
		return false
	}
	_, _, err = ingestAndWrite(t, b, copyIngestLedger(t), IngestOptions{MaxWait: time.Minute})
	var stop *StoppedError
	if !errors.As(err, &stop) || stop.Reason != "secondary rate limit" || !stop.Reset.Equal(ingestNow.Add(time.Hour)) {
		t.Errorf("%v, want a secondary rate limit stop until an hour later", err)
	}
}

func TestIngestRetriesServerErrors(t *testing.T) {
	a := newWidgetAPI(t)
	a.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		switch n {
		case 2, 3:
			githubtest.ServerError(w, http.StatusBadGateway)
			return true
		case 10, 11:
			// A broken connection. net/http itself sends a request once more
			// when a kept-alive connection turns out closed; the second
			// break, on a new connection, is the governor's to retry.
			githubtest.Hangup(w)
			return true
		}
		return false
	}
	dir := copyIngestLedger(t)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Clock.Slept(), []time.Duration{time.Second, 2 * time.Second, time.Second}; !slices.Equal(got, want) {
		t.Errorf("slept %v, want %v", got, want)
	}
	if len(sum.Credits) != 164 {
		t.Errorf("%d credits", len(sum.Credits))
	}

	// A pull request whose reviews keep failing: the run gives up on it
	// after the retries, keeping what came before.
	b := newWidgetAPI(t)
	b.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if strings.HasSuffix(r.URL.Path, "/pulls/40/reviews") {
			githubtest.ServerError(w, http.StatusBadGateway)
			return true
		}
		return false
	}
	dir = copyIngestLedger(t)
	sum, _, err = ingestAndWrite(t, b, dir, IngestOptions{})
	if err == nil || !strings.Contains(err.Error(), "lumen/widget: reading the reviews of #40: GitHub answered 502") {
		t.Fatalf("%v", err)
	}
	if n := strings.Count(strings.Join(b.Requests(), "\n"), "/pulls/40/reviews"); n != 1+httpc.FaultRetries {
		t.Errorf("%d requests for #40's reviews, want %d", n, 1+httpc.FaultRetries)
	}
	if st := sum.State[0]; st.PullRequests != ingestBase.Add(39*3*time.Hour+2*time.Hour).Format(time.RFC3339) {
		t.Errorf("the watermark should stop before #40: %+v", st)
	}
	// Run again once GitHub is well: the ledger ends as a clean run's.
	b.Fault = nil
	if _, _, err := ingestAndWrite(t, b, dir, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	want := cleanIngestTree(t, newWidgetAPI(t))
	sameIngestTree(t, readIngestTree(t, dir), want)
}

func TestIngestWindow(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	since := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	until := time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{Since: since, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sum.Credits {
		if d := c.Date; d < ledger.MustDate("2026-10-20") || d > ledger.MustDate("2026-10-25") {
			t.Errorf("%s dated %s, outside the window", c.ID, d)
		}
	}
	kinds := countIngestKinds(sum.Credits)
	if kinds[KindPullRequest] == 0 || kinds[KindRelease] != 1 || kinds[KindIssue] != 0 {
		t.Errorf("credits %v", kinds)
	}
	// Pull requests are listed newest first down to --since: the first
	// page reaches back to 17 October.
	if got := sum.Repos[0].PullRequestRequests; got != 1 {
		t.Errorf("%d pull request pages, want 1", got)
	}
	st := sum.State[0]
	if st.PullRequests > until.Format(time.RFC3339) || st.PullRequests < since.Format(time.RFC3339) {
		t.Errorf("watermark %s outside the window", st.PullRequests)
	}
}

func TestIngestErrors(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	l, err := LoadIngestLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opt  IngestOptions
		want string
	}{
		{IngestOptions{Repos: []string{"widget"}}, `repository "widget" is not OWNER/NAME`},
		{IngestOptions{Repos: []string{"a/b", "A/B"}}, "named twice"},
		{IngestOptions{Repos: []string{widgetRepo}, Since: ingestNow, Until: ingestBase}, "ends before it starts"},
		{IngestOptions{Repos: []string{widgetRepo}, APIURL: "ftp://x"}, "not an http(s) URL"},
		{IngestOptions{Repos: []string{"lumen/missing"}, APIURL: a.URL}, "lumen/missing: listing releases: not found (404)"},
	} {
		c.opt.Ledger, c.opt.Token, c.opt.HTTPClient = l, ingestToken, a.Client()
		_, err := Ingest(context.Background(), c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt.Repos, err, c.want)
		}
	}
}

func TestNewClient(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "https://api.github.com/"},
		{"https://github.example.com/api/v3", "https://github.example.com/api/v3/"},
		{"https://github.example.com/api/v3/", "https://github.example.com/api/v3/"},
	} {
		cl, err := NewClient(ClientOptions{APIURL: c.in, Token: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if cl.BaseURL.String() != c.want || cl.UserAgent != "tally" {
			t.Errorf("%q: %s %s", c.in, cl.BaseURL, cl.UserAgent)
		}
	}
	if _, err := NewClient(ClientOptions{APIURL: "github.example.com"}); err == nil {
		t.Error("a URL without a scheme is refused")
	}
}

func TestWriteIngestRefusesABrokenShard(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	broken := filepath.Join(dir, "credits", "2026", "11", "github.yaml")
	if err := os.MkdirAll(filepath.Dir(broken), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken, []byte("credits: [{id: x}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := LoadIngestLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Ingest(context.Background(), IngestOptions{
		Repos: []string{widgetRepo}, APIURL: a.URL, Token: ingestToken, HTTPClient: a.Client(), Ledger: l,
		Now: a.Clock.Now, Sleep: a.Clock.Sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	before := readIngestTree(t, dir)
	_, err = WriteIngest(dir, l, sum)
	if err == nil || !strings.Contains(err.Error(), "flow list") {
		t.Fatalf("%v", err)
	}
	// Nothing was written: no shard, and no watermark.
	sameIngestTree(t, readIngestTree(t, dir), before)
	if !bytes.Equal([]byte(before["credits/2026/11/github.yaml"]), []byte("credits: [{id: x}]\n")) {
		t.Error("the broken shard was changed")
	}
}

func TestFaultNamesWhatFailed(t *testing.T) {
	in := &ingestion{}
	reset := time.Date(2026, 11, 10, 1, 0, 0, 0, time.UTC)
	// go-github refuses locally once a response said the window is spent.
	err := in.fault(widgetRepo, "listing issues", &gh.RateLimitError{Rate: gh.Rate{Reset: gh.Timestamp{Time: reset}}})
	var stop *StoppedError
	if !errors.As(err, &stop) || stop.Reason != "rate limit" || !stop.Reset.Equal(reset) {
		t.Errorf("%v", err)
	}
	resp := &http.Response{StatusCode: http.StatusUnauthorized}
	err = in.fault(widgetRepo, "listing issues", &gh.ErrorResponse{Response: resp, Message: "Bad credentials"})
	if err == nil || err.Error() != "lumen/widget: listing issues: GitHub refused the token (401 Bad credentials); set GITHUB_TOKEN to a valid token" {
		t.Errorf("%v", err)
	}
	if err := in.fault(widgetRepo, "x", context.Canceled); !errors.Is(err, context.Canceled) {
		t.Errorf("%v", err)
	}
}

func TestWatermarksFile(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	path := filepath.Join(dir, "sources", "github.yaml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	old := "# Kept by tally ingest github.\nrepositories:\n  lumen/other: {pull_requests: 2026-09-30T00:00:00Z}\n  Lumen/Widget: {releases: 2026-10-25T11:00:00Z}\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	// Nothing moves when only the releases are asked for and none is new:
	// the file stays as written.
	l, err := LoadIngestLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := WriteIngest(dir, l, IngestSummary{State: []ledger.RepoState{{Repo: widgetRepo, Releases: "2026-10-25T11:00:00Z"}}})
	if err != nil || w.State {
		t.Fatalf("%v %+v", err, w)
	}
	if _, _, err := ingestAndWrite(t, a, dir, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# Kept by tally ingest github.\nrepositories:\n  lumen/other:\n    pull_requests: 2026-09-30T00:00:00Z\n" +
		"  Lumen/Widget:\n    pull_requests: 2026-10-31T23:30:00Z\n    issues: 2026-10-07T12:00:00Z\n    releases: 2026-10-25T11:00:00Z\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestIngestSeveralRepositories(t *testing.T) {
	a := newWidgetAPI(t)
	later := time.Date(2026, 10, 12, 9, 0, 0, 0, time.UTC)
	a.In("lumen/docs").PutPull(mergedPull(3, "dev3", "Fix a typo", later))
	dir := copyIngestLedger(t)
	// The first fails: the second is not reached, and keeps its watermarks.
	sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{Repos: []string{"lumen/missing", "lumen/docs"}})
	if err == nil || len(sum.Repos) != 1 || len(sum.State) != 2 || sum.State[1] != (ledger.RepoState{Repo: "lumen/docs"}) {
		t.Fatalf("%v %+v %+v", err, sum.Repos, sum.State)
	}
	sum, _, err = ingestAndWrite(t, a, dir, IngestOptions{Repos: []string{"lumen/docs", widgetRepo}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Credits) != 165 || sum.Repos[0].Requests() != 4 || sum.Repos[1].Requests() != 236 {
		t.Errorf("%d credits, %+v", len(sum.Credits), sum.Repos)
	}
	st, _ := os.ReadFile(filepath.Join(dir, "sources", "github.yaml"))
	if !strings.Contains(string(st), "repositories:\n  lumen/docs:\n    pull_requests: 2026-10-12T09:00:00Z\n  lumen/widget:\n") {
		t.Errorf("watermarks:\n%s", st)
	}
}

func TestLimit(t *testing.T) {
	now := ingestNow
	spent := RateLimit{Limit: 5000, Remaining: 0, Reset: now.Add(10 * time.Minute), Known: true}
	for _, c := range []struct {
		status  int
		header  map[string]string
		rate    RateLimit
		body    string
		wait    time.Duration
		reason  string
		limited bool
	}{
		{403, map[string]string{"X-RateLimit-Remaining": "0"}, spent, "", 10*time.Minute + time.Second, "rate limit", true},
		{429, map[string]string{"Retry-After": "12"}, RateLimit{}, "", 12 * time.Second, "secondary rate limit", true},
		{403, map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, RateLimit{}, "", 90 * time.Second, "secondary rate limit", true},
		{429, nil, RateLimit{}, "", time.Minute, "secondary rate limit", true},
		{403, nil, RateLimit{}, `{"message":"You have exceeded a secondary rate limit."}`, time.Minute, "secondary rate limit", true},
		{403, nil, RateLimit{}, `{"message":"Resource not accessible by integration"}`, 0, "", false},
		{502, map[string]string{"Retry-After": "12"}, RateLimit{}, "", 0, "", false},
	} {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{}}
		for k, v := range c.header {
			resp.Header.Set(k, v)
		}
		wait, reason, limited := Limit(resp, []byte(c.body), c.rate, now, 0)
		if wait != c.wait || reason != c.reason || limited != c.limited {
			t.Errorf("%d %v: %v %q %v, want %v %q %v", c.status, c.header, wait, reason, limited, c.wait, c.reason, c.limited)
		}
	}
}

// TestIngestSinceLaterThanTheWatermark runs --until 10 October, then
// --since 20 October, then a plain run: the second leaves every watermark
// where the first put it, so the third reads the days in between and the
// ledger ends as one plain run's, in every stream.
func TestIngestSinceLaterThanTheWatermark(t *testing.T) {
	gap := func(a *githubtest.Server) *githubtest.Server {
		// An issue and a release in the gap; the pull requests span October.
		at := time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)
		a.PutIssue(closedIssue(506, "Fixed mid-month", "completed", at, "dev2"))
		a.PutRelease(githubtest.Release{ID: 9005, Tag: "v1.0.1", Name: "Widget 1.0.1", Author: "releaser", Created: at.Add(-time.Hour), Published: at})
		return a
	}
	want := cleanIngestTree(t, gap(newWidgetAPI(t)))

	a := gap(newWidgetAPI(t))
	dir := copyIngestLedger(t)
	until := time.Date(2026, 10, 10, 23, 59, 59, 0, time.UTC)
	first, _, err := ingestAndWrite(t, a, dir, IngestOptions{Until: until})
	if err != nil {
		t.Fatal(err)
	}
	held := first.State[0]
	if held.PullRequests == "" || held.Issues == "" || held.Releases == "" {
		t.Fatalf("the first run should set every watermark: %+v", held)
	}
	stateFile := readIngestTree(t, dir)["sources/github.yaml"]

	since := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	second, w, err := ingestAndWrite(t, a, dir, IngestOptions{Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Credits) == 0 {
		t.Error("the --since run found nothing")
	}
	if st := second.State[0]; st != held || w.State {
		t.Errorf("--since after the watermarks moved them: %+v, want %+v", st, held)
	}
	if got := readIngestTree(t, dir)["sources/github.yaml"]; got != stateFile {
		t.Errorf("sources/github.yaml changed:\n%s\nwant:\n%s", got, stateFile)
	}

	third, _, err := ingestAndWrite(t, a, dir, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := countIngestKinds(third.Credits)
	if kinds[KindPullRequest] == 0 || kinds[KindIssue] != 1 || kinds[KindRelease] != 1 {
		t.Errorf("the plain run should pick up the gap in every stream: %v", kinds)
	}
	sameIngestTree(t, readIngestTree(t, dir), want)
}

// TestIngestSinceMovesAWatermarkItCovers: a window that starts at or
// before a watermark reads everything after it, so the watermark moves.
func TestIngestSinceMovesAWatermarkItCovers(t *testing.T) {
	a := newWidgetAPI(t)
	dir := copyIngestLedger(t)
	until := time.Date(2026, 10, 10, 23, 59, 59, 0, time.UTC)
	first, _, err := ingestAndWrite(t, a, dir, IngestOptions{Until: until})
	if err != nil {
		t.Fatal(err)
	}
	// The releases' watermark (5 October) is the earliest of the three.
	wm, err := time.Parse(time.RFC3339, first.State[0].Releases)
	if err != nil || wm.After(ingestBase.AddDate(0, 0, 5)) {
		t.Fatalf("%v %+v", err, first.State[0])
	}
	for _, since := range []time.Time{wm, wm.Add(-24 * time.Hour)} {
		sum, _, err := ingestAndWrite(t, a, dir, IngestOptions{Since: since})
		if err != nil {
			t.Fatal(err)
		}
		if st := sum.State[0]; st.PullRequests != "2026-10-31T23:30:00Z" || st.Releases != "2026-10-25T11:00:00Z" {
			t.Errorf("--since %s: watermarks %+v, want them at the newest items", since.Format(time.RFC3339), st)
		}
	}
}

// newTrackerAPI serves lumen/tracker: 250 closed issues, each assigned,
// updated an hour apart, and nothing else; between the first and the
// second page of issues, issue #1, already read, is updated and moves to
// the end of the list.
func newTrackerAPI(t *testing.T) *githubtest.Server {
	a := newIngestAPI(t, ingestNow)
	tracker := a.In("lumen/tracker")
	for i := 1; i <= 250; i++ {
		at := ingestBase.Add(time.Duration(i) * time.Hour)
		tracker.PutIssue(closedIssue(i, fmt.Sprintf("Issue %d", i), "completed", at, fmt.Sprintf("dev%d", i)))
	}
	issuePages := 0
	a.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if !strings.HasSuffix(r.URL.Path, "/issues") {
			return false
		}
		if issuePages++; issuePages == 2 {
			tracker.EditIssue(1, func(is *githubtest.Issue) { is.Updated = ingestNow.Add(-time.Minute) })
		}
		return false
	}
	return a
}

// TestIngestIssuesUpdatedMidRun: an issue updated while the list is read
// moves to its end, and every later one moves up a place; no issue may be
// skipped for it, and the watermark never passes one not yet read.
func TestIngestIssuesUpdatedMidRun(t *testing.T) {
	a := newTrackerAPI(t)
	sum, _, err := ingestAndWrite(t, a, copyIngestLedger(t), IngestOptions{Repos: []string{"lumen/tracker"}})
	if err != nil {
		t.Fatal(err)
	}
	credited := map[string]bool{}
	for _, c := range sum.Credits {
		credited[c.ID] = true
	}
	for i := 1; i <= 250; i++ {
		if id := fmt.Sprintf("github:lumen/tracker#%d/issue/dev%d", i, i); !credited[id] {
			t.Errorf("missing %s", id)
		}
	}
	if len(sum.Credits) != 250 {
		t.Errorf("%d credits, want 250", len(sum.Credits))
	}
	if st := sum.State[0]; st.Issues != ingestNow.Add(-time.Minute).Format(time.RFC3339) {
		t.Errorf("issues watermark %s, want issue #1's new update", st.Issues)
	}
	// Each next page starts at the last update read: 250 issues in pages
	// of 100 that overlap by one take three requests.
	if got := sum.Repos[0].IssueRequests; got != 3 {
		t.Errorf("%d issue requests, want 3:\n%s", got, strings.Join(a.Requests(), "\n"))
	}

	// Stopped after the second page: the watermark is at or before every
	// issue not credited yet, and the next run credits them all.
	b := newTrackerAPI(t)
	dir := copyIngestLedger(t)
	sum, _, err = ingestAndWrite(t, b, dir, IngestOptions{Repos: []string{"lumen/tracker"}, Budget: 3})
	var stop *StoppedError
	if !errors.As(err, &stop) {
		t.Fatalf("%v, want a budget stop", err)
	}
	wm, err := time.Parse(time.RFC3339, sum.State[0].Issues)
	if err != nil {
		t.Fatal(err)
	}
	all := slices.Clone(sum.Credits)
	credited = map[string]bool{}
	for _, c := range sum.Credits {
		credited[c.ID] = true
	}
	for i := 2; i <= 250; i++ {
		at := ingestBase.Add(time.Duration(i) * time.Hour)
		if !credited[fmt.Sprintf("github:lumen/tracker#%d/issue/dev%d", i, i)] && at.Before(wm) {
			t.Errorf("the watermark %s passed #%d, updated %s and not read", wm.Format(time.RFC3339), i, at.Format(time.RFC3339))
		}
	}
	sum, _, err = ingestAndWrite(t, b, dir, IngestOptions{Repos: []string{"lumen/tracker"}})
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, sum.Credits...)
	if len(all) != 250 {
		t.Errorf("%d credits over both runs, want 250", len(all))
	}
}

// TestIngestIssuesUpdatedInOneSecond: more issues than a page holds share
// one update (a bulk edit); asking from it again would give the same page,
// so the next page is taken by number, and nothing is read twice or lost.
func TestIngestIssuesUpdatedInOneSecond(t *testing.T) {
	a := newIngestAPI(t, ingestNow)
	bulk := ingestBase.Add(time.Hour)
	for i := 1; i <= 230; i++ {
		at := bulk
		if i > 150 {
			at = bulk.Add(time.Duration(i) * time.Minute)
		}
		a.In("lumen/tracker").PutIssue(closedIssue(i, fmt.Sprintf("Issue %d", i), "completed", at, fmt.Sprintf("dev%d", i)))
	}
	sum, _, err := ingestAndWrite(t, a, copyIngestLedger(t), IngestOptions{Repos: []string{"lumen/tracker"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Credits) != 230 || sum.Present != 0 {
		t.Errorf("%d credits (%d present), want 230", len(sum.Credits), sum.Present)
	}
	// The first page is all one second: the second is asked by number; it
	// ends later, so the third starts a second before its last update.
	var issues []string
	for _, r := range a.Requests() {
		if strings.Contains(r, "/issues") {
			issues = append(issues, r)
		}
	}
	want := []string{
		"GET /repos/lumen/tracker/issues?assignee=%2A&direction=asc&per_page=100&sort=updated&state=closed",
		"GET /repos/lumen/tracker/issues?assignee=%2A&direction=asc&page=2&per_page=100&sort=updated&state=closed",
		"GET /repos/lumen/tracker/issues?assignee=%2A&direction=asc&per_page=100&since=" + url.QueryEscape(ingestBase.Add(time.Hour+200*time.Minute-time.Second).Format(time.RFC3339)) + "&sort=updated&state=closed",
	}
	if !slices.Equal(issues, want) {
		t.Errorf("issue requests:\n%s\nwant:\n%s", strings.Join(issues, "\n"), strings.Join(want, "\n"))
	}
}

// TestIngestRetriesABodyCutShort: the connection is reset after the
// headers and part of the body; the request is sent again after the same
// backoff as any broken connection.
func TestIngestRetriesABodyCutShort(t *testing.T) {
	a := newWidgetAPI(t)
	const start = `[{"number":1,"state":"closed","title":"Cha`
	a.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		switch n {
		case 3, 20, 21: // the first pull request page; a review page, twice
			a.CutShort(w, r, start)
			return true
		}
		return false
	}
	sum, _, err := ingestAndWrite(t, a, copyIngestLedger(t), IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Clock.Slept(), []time.Duration{time.Second, time.Second, 2 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("slept %v, want %v", got, want)
	}
	if sum.Requests != 239 || len(sum.Credits) != 164 {
		t.Errorf("%d requests (236 and 3 cut short), %d credits", sum.Requests, len(sum.Credits))
	}

	// A body that is cut short every time: the run gives up after the
	// retries and says why.
	b := newWidgetAPI(t)
	b.Fault = func(w http.ResponseWriter, r *http.Request, n int) bool {
		if strings.HasSuffix(r.URL.Path, "/issues") {
			b.CutShort(w, r, start)
			return true
		}
		return false
	}
	_, _, err = ingestAndWrite(t, b, copyIngestLedger(t), IngestOptions{})
	if err == nil || !strings.Contains(err.Error(), "lumen/widget: listing issues: ") {
		t.Fatalf("%v", err)
	}
	if n := len(b.Requests()); n != 2+httpc.FaultRetries {
		t.Errorf("%d requests, want the releases and %d for the issues", n, 1+httpc.FaultRetries)
	}
}

// TestIngestIssuesSinceEitherWay: #100 ends the first page and #101, the
// first of the next, was updated in the same second. Whether the API's
// since includes its instant or not, #101 is read.
func TestIngestIssuesSinceEitherWay(t *testing.T) {
	for _, after := range []bool{false, true} {
		a := newIngestAPI(t, ingestNow)
		a.SinceExclusive = after
		for i := 1; i <= 150; i++ {
			at := ingestBase.Add(time.Duration(min(i, 100)) * time.Hour)
			if i > 101 {
				at = at.Add(time.Duration(i) * time.Minute)
			}
			a.In("lumen/tracker").PutIssue(closedIssue(i, fmt.Sprintf("Issue %d", i), "completed", at, fmt.Sprintf("dev%d", i)))
		}
		sum, _, err := ingestAndWrite(t, a, copyIngestLedger(t), IngestOptions{Repos: []string{"lumen/tracker"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Credits) != 150 || sum.Repos[0].IssueRequests != 2 {
			t.Errorf("since after its instant %v: %d credits, %d issue requests; want 150, 2", after, len(sum.Credits), sum.Repos[0].IssueRequests)
		}
	}
}
