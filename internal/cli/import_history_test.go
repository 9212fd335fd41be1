package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// historyLedger copies the importer's ledger for history imports: Ruth
// (github ruth-gh), Lee, a bot, the program in Europe/Berlin with commits
// counted from 2025.
func historyLedger(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("../importer/testdata/history")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestImportGitCommand(t *testing.T) {
	repo := gittest.New(t)
	day := func(d string) time.Time { v, _ := time.Parse(time.DateOnly, d); return v.Add(10 * time.Hour) }
	var h gittest.History
	m := h.Commit(gittest.HistoryCommit{Author: "Ruth Example <ruth@work.example>", Committed: day("2024-12-20"), Message: "Initial commit\n"})
	m = h.Commit(gittest.HistoryCommit{Author: "Ruth Example <123+ruth-gh@users.noreply.github.com>", Committed: day("2025-01-10"), Message: "Add the parser\n", Parents: []int{m}})
	side := h.Commit(gittest.HistoryCommit{Branch: "faster", Author: "Ruth Example <ruth@work.example>", Committed: day("2025-01-14"), Message: "Widgets, faster\n", Parents: []int{m}})
	m = h.Commit(gittest.HistoryCommit{Author: "Ruth Example <123+ruth-gh@users.noreply.github.com>", Committed: day("2025-01-15"),
		Message: "Merge pull request #7 from acme/faster\n\nMake widgets faster\n", Parents: []int{m, side}})
	h.Commit(gittest.HistoryCommit{Author: "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>", Committed: day("2025-01-16"), Message: "Bump yaml (#8)\n", Parents: []int{m}})
	repo.FastImport(h.String())
	repo.Git("reset", "-q", "--hard", "main")
	repo.Git("remote", "add", "origin", "git@github.com:acme/widget.git")

	dir := historyLedger(t)
	out, errOut, code := run(t, "import", "git", repo.Dir, "--ledger", dir)
	wantOut := "acme/widget: 4 commits on the first-parent line\n" +
		"credits added: 2 (commit 1, pull_request 1)\n" +
		"  " + filepath.ToSlash(dir) + "/credits/2025/01/git.yaml: 2 (new file)\n" +
		"already in the ledger: 0\n" +
		"skipped: 1 by bots, 1 of kinds the program does not define on their date\n"
	wantErr := "Skipped credits of bots: github:dependabot[bot]\n" +
		"Skipped 1 credit of kind commit, in the scoring period from 2024-01-01 (2024-12-20): add the kind to that period of program.yaml to count them\n" +
		"1 author no person owns wrote new credits: 'tally people suggest' matches them to people.\n"
	if code != 0 || out != wantOut || errOut != wantErr {
		t.Fatalf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", code, out, wantOut, errOut, wantErr)
	}
	before := files(t, dir)
	out, _, code = run(t, "import", "git", repo.Dir, "--ledger", dir, "--since", "2024-01-01", "--until", "2025-12-31")
	if code != 0 || !strings.Contains(out, "credits added: none\nalready in the ledger: 2\n") {
		t.Errorf("again: exit %d\n%s", code, out)
	}
	if !reflect.DeepEqual(before, files(t, dir)) {
		t.Error("importing again changed the ledger")
	}

	out, errOut, code = run(t, "people", "suggest", "--ledger", dir)
	want := "1 suggestion, most credits first:\n\n" +
		"1. git:b830338bc692 (1 credit, nobody's) is signed \"Ruth Example\" like " + filepath.ToSlash(dir) + "/people/ruth-example.yaml.\n" +
		"   add to the identities of " + filepath.ToSlash(dir) + "/people/ruth-example.yaml:\n" +
		"     git: b830338bc692\n"
	if code != 0 || out != want {
		t.Errorf("people suggest: exit %d\n%s\nwant:\n%s%s", code, out, want, errOut)
	}
	for _, text := range []string{out, errOut} {
		if strings.Contains(text, "work.example") {
			t.Errorf("an e-mail address is printed:\n%s", text)
		}
	}
	for path, b := range files(t, dir) {
		if strings.Contains(string(b), "work.example") {
			t.Errorf("%s holds an e-mail address", path)
		}
	}
	if !reflect.DeepEqual(before, files(t, dir)) {
		t.Error("people suggest wrote to the ledger")
	}
}

func TestImportCreditsCommand(t *testing.T) {
	dir := historyLedger(t)
	before := files(t, dir)
	const bad = "../importer/testdata/credits/bad.csv"
	out, errOut, code := run(t, "import", "credits", bad, "--source", "crm", "--ledger", dir)
	if code != exitFindings || !strings.HasPrefix(out, bad+`:2: kind "pull_reqest" is not defined`) ||
		strings.Count(out, "\n") != 10 || errOut != "tally: 10 problems cannot be imported; nothing was written\n" {
		t.Errorf("bad rows: exit %d\n%s%s", code, out, errOut)
	}
	if !reflect.DeepEqual(before, files(t, dir)) {
		t.Error("a file with bad rows changed the ledger")
	}

	const good = "../importer/testdata/credits/crm.csv"
	out, errOut, code = run(t, "import", "credits", good, "--source", "crm", "--ledger", dir)
	want := "crm: 7 rows read from " + good + "\n" +
		"credits added: 6 (chat_help 2, forum_solution 1, review 1, talk 1, translation 1)\n" +
		"  " + filepath.ToSlash(dir) + "/credits/2025/03/crm.yaml: 4 (new file)\n" +
		"  " + filepath.ToSlash(dir) + "/credits/2025/04/crm.yaml: 2 (new file)\n" +
		"already in the ledger: 0\n" +
		"rows repeated in the file: 1\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d\n%s\nwant:\n%s%s", code, out, want, errOut)
	}
	imported := files(t, dir)
	if out, _, code = run(t, "import", "credits", good, "--source", "crm", "--ledger", dir); code != 0 || !strings.Contains(out, "credits added: none\nalready in the ledger: 6\n") {
		t.Errorf("again: exit %d\n%s", code, out)
	}
	if !reflect.DeepEqual(imported, files(t, dir)) {
		t.Error("importing again changed the ledger")
	}
	if _, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Errorf("the ledger after the import: %s", errOut)
	}
}

func TestImportAllContributorsCommand(t *testing.T) {
	dir := historyLedger(t)
	const file = "../importer/testdata/all-contributors/messy.all-contributorsrc"
	out, errOut, code := run(t, "import", "all-contributors", file, "--ledger", dir)
	p := filepath.ToSlash(dir) + "/people/"
	want := file + ": 10 contributors\n" +
		"people added: 5\n  " + p + "mara-jovanovic.yaml\n  " + p + "lee-park-2.yaml\n  " + p + "lee-park-3.yaml\n  " + p + "zhangwei.yaml\n  " + p + "yes.yaml\n" +
		"already in the ledger: 1\n" +
		"skipped: 2 bots, 1 listed twice, 1 without a login\n" +
		"types with a kind: code -> commit (2 contributors); translation -> translation (2 contributors); question -> forum_solution (1 contributor); review -> review (1 contributor); talk -> talk (1 contributor)\n" +
		"types with no kind: bug (1 contributor); eventOrganizing (1 contributor); stargazing (1 contributor)\n"
	if code != 0 || out != want || errOut != "Skipped bots: allcontributors[bot], ci-helper\n" {
		t.Errorf("exit %d\n%s\nwant:\n%s%s", code, out, want, errOut)
	}
	imported := files(t, dir)
	if out, _, code = run(t, "import", "all-contributors", file, "--ledger", dir); code != 0 || !strings.Contains(out, "people added: 0\nalready in the ledger: 6\n") {
		t.Errorf("again: exit %d\n%s", code, out)
	}
	if !reflect.DeepEqual(imported, files(t, dir)) {
		t.Error("importing again changed the ledger")
	}
}

func TestImportHistoryErrors(t *testing.T) {
	dir := historyLedger(t)
	notRepo := t.TempDir()
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"import", "git", notRepo, "--ledger", dir, "--project", "acme/widget"}, "is not in a git repository"},
		{[]string{"import", "git", notRepo, "--ledger", dir, "--since", "2025-02-30"}, "--since"},
		{[]string{"import", "git", notRepo, "--ledger", dir, "--since", "2025-02-01", "--until", "2025-01-01"}, "--until 2025-01-01 is before --since 2025-02-01"},
		{[]string{"import", "credits", "../importer/testdata/credits/crm.csv", "--ledger", dir}, `"source" not set`},
		{[]string{"import", "credits", "no-such.csv", "--source", "crm", "--ledger", dir}, "no-such.csv"},
		{[]string{"import", "all-contributors", "../importer/testdata/credits/crm.csv", "--ledger", dir}, "not an .all-contributorsrc"},
		{[]string{"people"}, "tally people suggest"},
	} {
		out, errOut, code := run(t, c.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.msg)
		}
	}
}
