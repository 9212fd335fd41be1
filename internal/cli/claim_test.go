package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// claimLedger is a small program: a community lead, the leadership, and a
// contributor without a GitHub identity.
func claimLedger(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"program.yaml": `name: Lumen
timezone: Europe/Berlin
leadership: [bob]
team_leads:
  community: [alice, carol]
scoring:
  - from: 2026-01-01
    kinds:
      talk: {weight: 5, area: community}
      task: {weight: 1}
`,
		"people/alice.yaml": "name: Alice\nidentities: {github: Alice-GH}\n",
		"people/bob.yaml":   "name: Bob\nidentities: {github: bob-gh}\n",
		"people/carol.yaml": "name: Carol\nidentities: {slack: U01}\n",
		"people/dan.yaml":   "name: Dan\nidentities: {github: dan-gh}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// 23:30 UTC on 14 October is already the 15th in Berlin.
var claimNow = time.Date(2026, 10, 14, 23, 30, 0, 0, time.UTC)

func TestClaim(t *testing.T) {
	t.Parallel()
	dir := claimLedger(t)
	args := []string{"claim", "talk", "--ledger", dir, "--who", "github:dan-gh", "--date", "2026-10-15",
		"--evidence", "https://meetup.example/lumen/42", "--title", "Lumen at the Berlin meetup!"}
	out, errOut, code := runAt(claimNow, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	rel := "claims/talk/2026/lumen-at-the-berlin-meetup.yaml"
	want := `# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/claim.schema.json
who: github:dan-gh
date: 2026-10-15
evidence: https://meetup.example/lumen/42
title: "Lumen at the Berlin meetup!"
`
	if got := readFile(t, filepath.Join(dir, rel)); got != want {
		t.Errorf("the claim:\n%s\nwant:\n%s", got, want)
	}
	shown := filepath.ToSlash(filepath.Join(displayPrefix(dir), rel))
	for _, w := range []string{
		"git switch -c claim/lumen-at-the-berlin-meetup\n",
		"git add " + shown + "\n",
		"git commit -m 'Claim talk: Lumen at the Berlin meetup!'\n",
		"git push -u origin claim/lumen-at-the-berlin-meetup\n",
		// carol has no GitHub identity, so only alice can review.
		"It needs an approving review from a lead of the community area who is not the claimant: @alice-gh.\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("the output lacks %q:\n%s", w, out)
		}
	}
	if out, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Errorf("validate after the claim: exit %d\n%s%s", code, out, errOut)
	}

	// The same claim again: a new file, never the old one rewritten.
	if _, errOut, code = runAt(claimNow, args...); code != 0 || !strings.Contains(errOut, "lumen-at-the-berlin-meetup-2.yaml") {
		t.Fatalf("again: exit %d\n%s", code, errOut)
	}
	if got := readFile(t, filepath.Join(dir, rel)); got != want {
		t.Error("the first claim was rewritten")
	}
	// A slug the user chose is never numbered.
	_, errOut, code = runAt(claimNow, append(args, "--slug", "lumen-at-the-berlin-meetup")...)
	if code != exitUsage || !strings.Contains(errOut, "lumen-at-the-berlin-meetup.yaml already exists: choose another --slug") {
		t.Errorf("a taken slug: exit %d\n%s", code, errOut)
	}
}

// Without a title the slug comes from who and the date; a kind without an
// area goes to the team leads and the leadership, the claimant excepted.
func TestClaimWithoutTitle(t *testing.T) {
	t.Parallel()
	dir := claimLedger(t)
	out, errOut, code := runAt(claimNow, "claim", "task", "--ledger", dir, "--who", "bob", "--date", "2026-03-01", "--evidence", "http://tracker.example/7")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "claims/task/2026/bob-2026-03-01.yaml")); err != nil {
		t.Error(err)
	}
	if !strings.Contains(out, "from a team lead or a member of the leadership who is not the claimant: @alice-gh.\n") {
		t.Errorf("reviewers:\n%s", out)
	}
}

func TestClaimErrors(t *testing.T) {
	t.Parallel()
	dir := claimLedger(t)
	base := func(kind, who, date, evidence string, more ...string) []string {
		return append([]string{"claim", kind, "--ledger", dir, "--who", who, "--date", date, "--evidence", evidence}, more...)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{base("tlak", "dan", "2026-10-01", "https://x.example"), exitUsage, `"tlak" is not a kind of the scoring period from 2026-01-01; did you mean "talk"?`},
		{base("meetup", "dan", "2026-10-01", "https://x.example"), exitUsage, `"meetup" is not a kind of the scoring period from 2026-01-01; the kinds are talk, task`},
		{base("../talk", "dan", "2026-10-01", "https://x.example"), exitUsage, `"../talk" is not a kind`},
		{base("talk", "dan", "2025-12-31", "https://x.example"), exitUsage, "before the program's first scoring period"},
		// The 16th has not begun in Berlin.
		{base("talk", "dan", "2026-10-16", "https://x.example"), exitUsage, "--date 2026-10-16 is after today (2026-10-15 in Europe/Berlin)"},
		{base("talk", "dan", "2026-10-32", "https://x.example"), exitUsage, "--date:"},
		{base("talk", "dan", "2026-10-01", "ftp://x.example/talk"), exitUsage, `--evidence "ftp://x.example/talk" is not an http(s) link`},
		{base("talk", "dan", "2026-10-01", "https://"), exitUsage, "is not an http(s) link"},
		{base("talk", "erin", "2026-10-01", "https://x.example"), exitUsage, `--who: no person "erin" in the ledger`},
		{base("talk", "dan", "2026-10-01", "https://x.example", "--slug", "Bad Slug"), exitUsage, `--slug "Bad Slug"`},
		// Caught by the ledger's own validation: the file is not kept.
		{base("talk", "github:dan gh", "2026-10-01", "https://x.example"), exitFindings, "the claim does not validate, so it was not kept"},
		{[]string{"claim", "talk", "--ledger", dir, "--date", "2026-10-01", "--evidence", "https://x.example"}, exitUsage, `required flag(s) "who" not set`},
	} {
		out, errOut, code := runAt(claimNow, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want %d and %q\n%s%s", c.args[1:], code, c.code, c.want, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "claims")); err == nil {
		entries, _ := filepath.Glob(filepath.Join(dir, "claims/*/*/*"))
		if len(entries) != 0 {
			t.Errorf("failed claims left files: %v", entries)
		}
	}
}
