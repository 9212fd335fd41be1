package importer

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
	"github.com/tallyledger/tally/internal/ledger"
)

// emailsOfHistory are every address messyHistory uses that is not one of
// GitHub's noreply addresses: none may show anywhere.
var emailsOfHistory = []string{"ruth@work.example", "ruth@home.example", "sam@sam.example", "kai@kai.example", "lee@lee.example", "maintainer@acme.example"}

// messyHistory is a repository of acme/widget the way real ones are: one
// person under several names and addresses (one pair joined by .mailmap),
// both forms of noreply address, merges from branches of the project's own
// organisation and from forks, a squash with two (#N), bots, commits
// before commits counted (2024) and after --until.
func messyHistory(t testing.TB) *gittest.Repo {
	r := gittest.New(t)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var h gittest.History
	c := func(author, when, msg string, parents ...int) int {
		return h.Commit(gittest.HistoryCommit{Author: author, Committed: at(when), Message: msg, Parents: parents})
	}
	root := h.Commit(gittest.HistoryCommit{Author: "Ruth Example <ruth@work.example>", Committed: at("2024-06-01T10:00:00Z"), Message: "Initial commit\n",
		Files: map[string]string{".mailmap": "Ruth Example <ruth@work.example> <ruth@home.example>\n"}})
	m := c("Ruth Example <123456+ruth-gh@users.noreply.github.com>", "2025-01-10T09:00:00Z", "Add the parser\n\nIt reads widgets.\n", root)
	side := c("Sam Doe <sam@sam.example>", "2025-01-15T12:00:00Z", "Feature X, first draft\n", m)
	side = c("Sam Doe <sam@sam.example>", "2025-01-16T12:00:00Z", "Feature X, done\n", side)
	h.Commit(gittest.HistoryCommit{Branch: "topic", Author: "Sam Doe <sam@sam.example>", Committed: at("2025-01-16T12:00:00Z"), Message: "unused branch head\n", Parents: []int{side}})
	m = c("Ruth Example <ruth-gh@users.noreply.github.com>", "2025-01-20T08:00:00Z", "Merge pull request #3 from acme/feature-x\n\nAdd feature X\n", m, side)
	fork := c("kai <kai@kai.example>", "2025-01-21T10:00:00Z", "Fix a typo\n", m)
	m = c("Maintainer <maintainer@acme.example>", "2025-01-22T10:00:00Z", "Merge pull request #5 from Kai-Dev/fix-typo\n\nFix a typo in the README\n", m, fork)
	// 23:30 UTC on 31 January is 1 February in Berlin.
	m = c("R. Example <ruth@work.example>", "2025-01-31T23:30:00Z", "Tidy the build\n", m)
	m = c("Ruth Example <ruth@home.example>", "2025-02-02T10:00:00Z", "Speed up the parser\n", m)
	m = c("Lee Park <lee@lee.example>", "2025-02-03T15:00:00Z", "Fix the parser (#12) (#34)\n", m)
	m = c("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", "2025-02-04T06:00:00Z", "Bump lodash from 4.17.20 to 4.17.21 (#40)\n", m)
	bump := c("dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", "2025-02-05T06:00:00Z", "Bump yaml to 2.4.1\n", m)
	m = c("Ruth Example <ruth-gh@users.noreply.github.com>", "2025-02-05T07:00:00Z", "Merge pull request #41 from acme/dependabot/npm_and_yarn/yaml-2.4.1\n\nBump yaml to 2.4.1\n", m, bump)
	m = c("CI Helper <ci-helper@users.noreply.github.com>", "2025-02-06T01:00:00Z", "Nightly sync\n", m)
	m = c("Lee Park <lee@lee.example>", "2025-02-07T09:00:00Z", "Revert \"Fix the parser (#12) (#34)\"\n", m)
	m = c("Lee Park <lee@lee.example>", "2025-02-08T09:00:00Z", "Fix the parser again (#34)\n", m)
	c("Kai <KAI@kai.example>", "2025-06-01T09:00:00Z", "After the window\n", m)
	r.FastImport(h.String())
	r.Git("reset", "-q", "--hard", "main")
	return r
}

func historyLedger(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dst, os.DirFS("testdata/history")); err != nil {
		t.Fatal(err)
	}
	return dst
}

func gitID(email string) string {
	sum := sha1.Sum([]byte(email))
	return "git:" + hex.EncodeToString(sum[:])[:12]
}

func TestReadGit(t *testing.T) {
	repo := messyHistory(t)
	dir := historyLedger(t)
	l, err := LoadCreditLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := ReadGit(context.Background(), GitOptions{Dir: repo.Dir, Project: "Acme/Widget", Until: ledger.MustDate("2025-05-31"), Ledger: l})
	if err != nil {
		t.Fatal(err)
	}
	if imp.Project != "acme/widget" {
		t.Errorf("project %q, want the ledger's spelling acme/widget", imp.Project)
	}
	if imp.Commits != 13 || imp.Outside != 1 || imp.Present != 1 {
		t.Errorf("commits %d, outside %d, present %d; want 13, 1 and 1 (#34 is ingested already)", imp.Commits, imp.Outside, imp.Present)
	}
	type row struct{ id, who, kind, date, title, author string }
	var got []row
	for _, c := range imp.Credits {
		r := row{c.ID, c.Who, c.Kind, c.Date.String(), c.Title, ""}
		for _, f := range c.Facts {
			r.author = f.Key + "=" + f.Value
		}
		got = append(got, r)
	}
	sha := func(subject string) string {
		return strings.TrimSpace(repo.Git("log", "--format=%H", "--grep", "^"+subject+"$", "main"))
	}
	work := gitID("ruth@work.example")
	want := []row{
		{"git:acme/widget@" + sha("Add the parser"), "github:ruth-gh", "commit", "2025-01-10", "Add the parser", ""},
		{"github:acme/widget#3", gitID("sam@sam.example"), "pull_request", "2025-01-20", "Add feature X", "author=Sam Doe"},
		{"github:acme/widget#5", "github:Kai-Dev", "pull_request", "2025-01-22", "Fix a typo in the README", ""},
		{"git:acme/widget@" + sha("Tidy the build"), work, "commit", "2025-02-01", "Tidy the build", "author=R. Example"},
		{"git:acme/widget@" + sha("Speed up the parser"), work, "commit", "2025-02-02", "Speed up the parser", "author=Ruth Example"},
		{"git:acme/widget@" + sha(`Revert "Fix the parser (#12) (#34)"`), gitID("lee@lee.example"), "commit", "2025-02-07", `Revert "Fix the parser (#12) (#34)"`, "author=Lee Park"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("credits:\n%v\nwant:\n%v", got, want)
	}
	var skipped []string
	for _, s := range imp.Skipped {
		skipped = append(skipped, s.Reason+" "+s.ID+" "+s.Who)
	}
	wantSkipped := []string{
		"kind git:acme/widget@" + sha("Initial commit") + " " + work,
		"bot github:acme/widget#40 github:dependabot[bot]",
		"bot github:acme/widget#41 github:dependabot[bot]",
		"bot git:acme/widget@" + sha("Nightly sync") + " github:ci-helper",
		"twice github:acme/widget#34 " + gitID("lee@lee.example"),
	}
	if !reflect.DeepEqual(skipped, wantSkipped) {
		t.Errorf("skipped:\n%q\nwant:\n%q", skipped, wantSkipped)
	}
	// The days of the window are the program's: 1 February in Berlin
	// began at 23:00 UTC on 31 January.
	window, err := ReadGit(context.Background(), GitOptions{Dir: repo.Dir, Project: "acme/widget", Since: ledger.MustDate("2025-02-01"), Until: ledger.MustDate("2025-02-02"), Ledger: l})
	if err != nil {
		t.Fatal(err)
	}
	if len(window.Credits) != 2 || window.Credits[0].Title != "Tidy the build" || window.Credits[1].Title != "Speed up the parser" || window.Outside != 11 {
		t.Errorf("--since 2025-02-01 --until 2025-02-02: %d outside, credits %+v", window.Outside, window.Credits)
	}
	if imp.Unowned != 4 {
		t.Errorf("unowned authors %d, want 4 (Sam, Kai-Dev, Lee and Ruth at work)", imp.Unowned)
	}
}

// TestImportGitTwice writes the history into the ledger, keeps a hand edit,
// adds what a wider window brings, and then changes nothing.
func TestImportGitTwice(t *testing.T) {
	repo := messyHistory(t)
	dir := historyLedger(t)
	run := func(until string) *GitImport {
		t.Helper()
		l, err := LoadCreditLedger(dir)
		if err != nil {
			t.Fatal(err)
		}
		opt := GitOptions{Dir: repo.Dir, Project: "acme/widget", Ledger: l}
		if until != "" {
			opt.Until = ledger.MustDate(until)
		}
		imp, err := ReadGit(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := WriteCredits(dir, GitSource, imp.Credits); err != nil {
			t.Fatal(err)
		}
		return imp
	}
	run("2025-05-31")
	shard := filepath.Join(dir, "credits", "2025", "02", "git.yaml")
	b, err := os.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "credits:\n", "credits:\n  # Checked by hand in March.\n", 1)
	if err := os.WriteFile(shard, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if imp := run(""); len(imp.Credits) != 1 || imp.Credits[0].Title != "After the window" || imp.Present != 7 {
		t.Errorf("the wider window added %d credits, %d present: %+v", len(imp.Credits), imp.Present, imp.Credits)
	}
	before := snapshot(t, dir)
	if !strings.HasPrefix(before["credits/2025/02/git.yaml"], strings.SplitAfter(edited, "# Checked by hand in March.\n")[0]) {
		t.Errorf("the hand edit is gone:\n%s", before["credits/2025/02/git.yaml"])
	}
	if imp := run(""); len(imp.Credits) != 0 || imp.Present != 8 {
		t.Errorf("a third import added %d credits, %d present", len(imp.Credits), imp.Present)
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("a third import changed the ledger")
	}
	for path, text := range before {
		for _, e := range emailsOfHistory {
			if strings.Contains(strings.ToLower(text), e) {
				t.Errorf("%s holds the e-mail address %s", path, e)
			}
		}
	}
	validate(t, dir)
}

func TestReadGitProject(t *testing.T) {
	repo := messyHistory(t)
	l, err := LoadCreditLedger(historyLedger(t))
	if err != nil {
		t.Fatal(err)
	}
	read := func(project string) (*GitImport, error) {
		return ReadGit(context.Background(), GitOptions{Dir: repo.Dir, Project: project, Ledger: l})
	}
	if _, err := read(""); err == nil || !strings.Contains(err.Error(), "give --project OWNER/NAME") {
		t.Errorf("no remote: %v", err)
	}
	repo.Git("remote", "add", "origin", "https://x-access-token:s3cret@github.com/acme/widget.git")
	if imp, err := read(""); err != nil || imp.Project != "acme/widget" {
		t.Errorf("from the origin remote: %v", err)
	}
	repo.Git("remote", "set-url", "origin", "https://gitlab.example/s3cret/acme/widget.git")
	if _, err := read(""); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a remote off GitHub: %v (the URL must not be printed)", err)
	}
	if _, err := read("acme widget"); err == nil || !strings.Contains(err.Error(), "not OWNER/NAME") {
		t.Errorf("a bad --project: %v", err)
	}
}
