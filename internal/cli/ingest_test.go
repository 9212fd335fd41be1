package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/action"
	"github.com/tallyledger/tally/internal/github/githubtest"
)

const ingestToken = "ghp_secretvalue1234567890"

// newIngestCLIAPI is a fake GitHub whose repository acme/widget holds
// one merged pull request, reviewed once. It takes ingestToken only (a
// request with another gets a 401). Its clock, which the command shares,
// is an hour before the rate limit's reset that the tests print.
func newIngestCLIAPI(t *testing.T) *githubtest.Server {
	a := githubtest.New(t, "acme", "widget")
	a.Token = ingestToken
	a.Clock = githubtest.NewClock(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	merged := time.Date(2026, 10, 3, 10, 0, 0, 0, time.UTC)
	a.PutPull(githubtest.Pull{Number: 7, State: "closed", Title: "Fix the widget", Author: "alice-gh",
		Created: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC), Updated: merged, Merged: merged})
	a.PutReview(7, githubtest.Review{ID: 70, Login: "bob-gh", State: "APPROVED", Submitted: time.Date(2026, 10, 2, 10, 0, 0, 0, time.UTC)})
	return a
}

// runIngest runs tally ingest with env as the environment.
func runIngest(t *testing.T, a *githubtest.Server, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	s := &streams{in: strings.NewReader(""), out: &out, err: &errb}
	deps := ingestDeps{
		lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		client:    a.Client(),
		now:       a.Clock.Now,
		sleep:     a.Clock.Sleep,
	}
	root := &cobra.Command{Use: "tally", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(newIngestWith(s, deps))
	code = execute(root, append([]string{"ingest"}, args...), s.in, s.out, s.err)
	return out.String(), errb.String(), code
}

func ingestLedger(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"program.yaml":          "name: Acme\ntimezone: UTC\nleadership: [alice]\nscoring:\n  - from: 2024-01-01\n    kinds:\n      pull_request: {weight: 3}\n      review: {weight: 2}\n",
		"people/alice.yaml":     "name: Alice\nidentities: {github: alice-gh}\n",
		"sources/.gitkeep":      "",
		"credits/2026/.gitkeep": "",
	}
	for p, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIngestCommand(t *testing.T) {
	a := newIngestCLIAPI(t)
	dir := ingestLedger(t)
	env := map[string]string{"GITHUB_TOKEN": ingestToken, "GITHUB_API_URL": a.URL + "/api/v3/"}
	out, errOut, code := runIngest(t, a, env, "github", "--repo", "acme/widget", "--ledger", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	want := `acme/widget: 1 pull request updated; 4 requests (pull requests 1, reviews 1, issues 1, releases 1)
credits added: 2 (pull_request 1, review 1)
  DIR/credits/2026/10/github.yaml: 2 (new file)
already in the ledger: 0
skipped: 0 by bots, 0 of kinds the program does not define on their date
requests: 4; rate limit: 4996 of 5000 left, resets 2026-11-02T01:00:00Z
handles no person owns, most credits first; add the line to the person's identities in people/<id>.yaml:
  github: bob-gh  # 1 credit
`
	if got := strings.ReplaceAll(out, filepath.ToSlash(dir), "DIR"); got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
	if errOut != "" {
		t.Errorf("stderr (not a terminal: no progress): %q", errOut)
	}
	shard, err := os.ReadFile(filepath.Join(dir, "credits", "2026", "10", "github.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(shard), "- id: github:acme/widget#7\n    who: github:alice-gh\n    kind: pull_request\n    date: 2026-10-03\n") ||
		!strings.Contains(string(shard), "- id: github:acme/widget#7/review/bob-gh\n") {
		t.Errorf("shard:\n%s", shard)
	}
	// The ledger validates, and a second run changes nothing.
	if out, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errOut)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "sources", "github.yaml"))
	out, _, code = runIngest(t, a, env, "github", "--repo", "acme/widget", "--ledger", dir)
	after, _ := os.ReadFile(filepath.Join(dir, "sources", "github.yaml"))
	if code != 0 || !strings.Contains(out, "credits added: none\nalready in the ledger: 2") || !bytes.Equal(before, after) {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
}

func TestIngestCommandEnvironment(t *testing.T) {
	a := newIngestCLIAPI(t)
	dir := ingestLedger(t)
	// GH_TOKEN when GITHUB_TOKEN is not set; --api-url over GITHUB_API_URL.
	env := map[string]string{"GH_TOKEN": ingestToken, "GITHUB_API_URL": "https://nowhere.invalid/api/v3/"}
	out, errOut, code := runIngest(t, a, env, "github", "--repo", "acme/widget", "--ledger", dir, "--api-url", a.URL+"/api/v3")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	// Without a token, requests go unauthenticated, with a warning: GitHub
	// counts them in the window of 60 an hour.
	b := newIngestCLIAPI(t)
	b.Token = ""
	out, errOut, code = runIngest(t, b, map[string]string{}, "github", "--repo", "acme/widget", "--ledger", ingestLedger(t), "--api-url", b.URL+"/api/v3/")
	if code != 0 || !strings.Contains(out, "rate limit: 56 of 60 left") || !strings.Contains(errOut, "60 requests an hour") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestIngestCommandExitCodes(t *testing.T) {
	a := newIngestCLIAPI(t)
	env := map[string]string{"GITHUB_TOKEN": ingestToken, "GITHUB_API_URL": a.URL + "/api/v3/"}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no repo", []string{"github"}, exitUsage, "name a repository"},
		{"bad repo", []string{"github", "--repo", "widget"}, exitUsage, `"widget" is not OWNER/NAME`},
		{"bad date", []string{"github", "--repo", "acme/widget", "--since", "2026-02-30"}, exitUsage, "--since"},
		{"until before since", []string{"github", "--repo", "acme/widget", "--since", "2026-10-02", "--until", "2026-10-01"}, exitUsage, "before --since"},
		{"no source", []string{}, exitUsage, "program.yaml has no sources; add them (see docs/sources-and-imports.md) or name one: tally ingest github --repo OWNER/NAME"},
		{"unknown repository", []string{"github", "--repo", "acme/other", "--repo", "acme/widget"}, exitUsage, "acme/other: listing releases: not found (404)"},
		{"budget", []string{"github", "--repo", "acme/widget", "--budget", "2"}, exitStopped, "stopped early: the request budget is spent (--budget 2); what was fetched is saved: run the same command again to continue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := ingestLedger(t)
			args := append(c.args, "--ledger", dir)
			if c.args == nil {
				args = nil
			}
			out, errOut, code := runIngest(t, a, env, args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, want %d\n%s%s", code, c.code, out, errOut)
			}
			if c.name == "unknown repository" && !strings.Contains(out, "acme/other: 0 pull requests updated (not finished); 1 request (pull requests 0, reviews 0, issues 0, releases 1)\nacme/widget: not reached\n") {
				t.Errorf("summary:\n%s", out)
			}
			if strings.Contains(out+errOut, ingestToken) {
				t.Error("the token was printed")
			}
		})
	}

	// A budget stop saves what was fetched (the merged pull request, found
	// by the listing) and moves no watermark past the unread reviews: the
	// next run finishes the job.
	dir := ingestLedger(t)
	if _, _, code := runIngest(t, a, env, "github", "--repo", "acme/widget", "--ledger", dir, "--budget", "3"); code != exitStopped {
		t.Fatalf("exit %d", code)
	}
	if st, err := os.ReadFile(filepath.Join(dir, "sources", "github.yaml")); err == nil {
		t.Errorf("after the stop, nothing is synced, yet the watermarks are:\n%s", st)
	}
	if out, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Fatalf("validate after a stop: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code := runIngest(t, a, env, "github", "--repo", "acme/widget", "--ledger", dir)
	if code != 0 || !strings.Contains(out, "credits added: 1 (review 1)") || !strings.Contains(out, "already in the ledger: 1") {
		t.Errorf("resumed run: exit %d\n%s%s", code, out, errOut)
	}
}

// TestActionIngester: the action's monthly run ingests through the same
// code as tally ingest github, with the action's token and API.
func TestActionIngester(t *testing.T) {
	a := newIngestCLIAPI(t)
	dir := ingestLedger(t)
	var log bytes.Buffer
	api := action.API{URL: a.URL + "/api/v3/", Token: ingestToken, HTTP: a.Client()}
	if err := (sourcesIngester{}).Ingest(context.Background(), api, dir, []string{"acme/widget"}, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	shard, err := os.ReadFile(filepath.Join(dir, "credits", "2026", "10", "github.yaml"))
	if err != nil || !strings.Contains(string(shard), "- id: github:acme/widget#7/review/bob-gh\n") {
		t.Fatalf("shard: %v\n%s", err, shard)
	}
	if !strings.Contains(log.String(), "credits added: 2 (pull_request 1, review 1)") || strings.Contains(log.String(), ingestToken) {
		t.Errorf("log:\n%s", log.String())
	}
}

// TestIngestAllSources: tally ingest runs every source of program.yaml in
// the order written, GitHub's token and API from the environment, each
// source against its own server; a source that fails leaves the others to
// run, and the ledger validates after.
func TestIngestAllSources(t *testing.T) {
	a := newIngestCLIAPI(t)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/blog.xml" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>`+
			`<item><title>Widgets, explained</title><link>https://acme.example/blog/widgets</link><dc:creator>Ruth Example</dc:creator><pubDate>Mon, 05 Oct 2026 10:00:00 GMT</pubDate></item>`+
			`<item><title>Release day</title><link>https://acme.example/blog/release</link><author>bob@acme.example (Bob Stone)</author><pubDate>Tue, 06 Oct 2026 10:00:00 GMT</pubDate></item>`+
			`</channel></rss>`)
	}))
	t.Cleanup(feed.Close)
	dir := ingestLedger(t)
	program := "name: Acme\ntimezone: UTC\nleadership: [alice]\nscoring:\n  - from: 2024-01-01\n    kinds:\n      pull_request: {weight: 3}\n      review: {weight: 2}\n      blog_post: {weight: 3}\n      forum_solution: {weight: 2}\n" +
		"sources:\n  feeds:\n    - {url: " + feed.URL + "/blog.xml, kind: blog_post}\n  discourse: {url: " + feed.URL + "/forum, kind: forum_solution}\n  github: {repositories: [acme/widget]}\n"
	os.WriteFile(filepath.Join(dir, "program.yaml"), []byte(program), 0o644)
	os.WriteFile(filepath.Join(dir, "people", "ruth.yaml"), []byte("name: Ruth Example\nidentities: {feed: Ruth Example}\n"), 0o644)
	env := map[string]string{"GITHUB_TOKEN": ingestToken, "GITHUB_API_URL": a.URL + "/api/v3/", "TALLY_DISCOURSE_API_KEY": "d1sc-k3y"}
	out, errOut, code := runIngest(t, a, env, "--ledger", dir)
	got := strings.ReplaceAll(strings.ReplaceAll(out, filepath.ToSlash(dir), "DIR"), feed.URL, "FEED")
	want := `[feeds]
FEED/blog.xml: 2 items read; 1 request
credits added: 2 (blog_post 2)
  DIR/credits/2026/10/feeds.yaml: 2 (new file)
already in the ledger: 0
skipped: 0 by bots, 0 of kinds the program does not define on their date
requests: 1; rate limit: unknown
[discourse]
FEED/forum: not finished; 1 request
credits added: none
already in the ledger: 0
skipped: 0 by bots, 0 of kinds the program does not define on their date
requests: 1; rate limit: unknown
[github]
acme/widget: 1 pull request updated; 4 requests (pull requests 1, reviews 1, issues 1, releases 1)
credits added: 2 (pull_request 1, review 1)
  DIR/credits/2026/10/github.yaml: 2 (new file)
already in the ledger: 0
skipped: 0 by bots, 0 of kinds the program does not define on their date
requests: 4; rate limit: 4996 of 5000 left, resets 2026-11-02T01:00:00Z
handles no person owns, most credits first; add the line to the person's identities in people/<id>.yaml:
  feed: Bob Stone  # 1 credit
  github: bob-gh  # 1 credit
`
	if code != exitUsage || got != want {
		t.Errorf("exit %d\n%s\nwant:\n%s\n%s", code, got, want, errOut)
	}
	if !strings.Contains(errOut, "tally: discourse: /forum/latest.json: not found (404); check sources.discourse (url, categories); what was fetched before is saved") {
		t.Errorf("stderr:\n%s", errOut)
	}
	if strings.Contains(out+errOut, "d1sc-k3y") || strings.Contains(out+errOut, ingestToken) {
		t.Error("a secret was printed")
	}
	if out, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errOut)
	}
	// One source, and --api-url only with one.
	out, _, code = runIngest(t, a, env, "feeds", "--ledger", dir)
	if code != 0 || !strings.Contains(out, "blog.xml: 2 items read; 1 request\ncredits added: none\nalready in the ledger: 2\n") || strings.Contains(out, "[feeds]") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if _, errOut, code := runIngest(t, a, env, "--ledger", dir, "--api-url", feed.URL); code != exitUsage || !strings.Contains(errOut, "--api-url points one source at another server") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	// An unknown source in program.yaml says where, and what it may be.
	os.WriteFile(filepath.Join(dir, "program.yaml"), []byte(strings.Replace(program, "  discourse:", "  discource:", 1)), 0o644)
	if _, errOut, code := runIngest(t, a, env, "--ledger", dir); code != exitUsage ||
		!strings.Contains(errOut, `program.yaml:14:14: sources: tally has no source "discource"; did you mean "discourse"? tally's sources are github, discourse, stackexchange, feeds, jira`) {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

// TestIngestGitHubSettingsAndFlags: --repo adds to program.yaml's
// sources.github.repositories, which come first; one named in both is
// ingested once.
func TestIngestGitHubSettingsAndFlags(t *testing.T) {
	a := newIngestCLIAPI(t)
	dir := ingestLedger(t)
	program, _ := os.ReadFile(filepath.Join(dir, "program.yaml"))
	os.WriteFile(filepath.Join(dir, "program.yaml"), append(program, "sources:\n  github: {repositories: [acme/widget]}\n"...), 0o644)
	env := map[string]string{"GITHUB_TOKEN": ingestToken, "GITHUB_API_URL": a.URL + "/api/v3/"}
	out, errOut, code := runIngest(t, a, env, "github", "--ledger", dir, "--repo", "ACME/widget", "--repo", "acme/other")
	if code != exitUsage || !strings.HasPrefix(out, "acme/widget: 1 pull request updated; 4 requests") ||
		!strings.Contains(out, "\nacme/other: 0 pull requests updated (not finished); 1 request (pull requests 0, reviews 0, issues 0, releases 1)\n") ||
		!strings.Contains(errOut, "acme/other: listing releases: not found (404)") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
