package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestReportsUpToDate keeps the committed reports/ in step with ledger/
// and the code: they are what `tally report` writes today.
func TestReportsUpToDate(t *testing.T) {
	out := t.TempDir()
	_, errOut, code := run(t, "report", "--ledger", "../../ledger", "--out", out)
	if code != 0 {
		t.Fatalf("tally report: exit %d\n%s", code, errOut)
	}
	got, want := files(t, out), files(t, "../../reports")
	stale := false
	for name, data := range got {
		if w, ok := want[name]; !ok {
			t.Errorf("reports/%s is missing", name)
			stale = true
		} else if !bytes.Equal(data, w) {
			t.Errorf("reports/%s differs", name)
			stale = true
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok && isReport(name) {
			t.Errorf("reports/%s should not exist", name)
			stale = true
		}
	}
	if stale {
		t.Error("reports/ is out of date: run go run ./cmd/tally report")
	}
}

// isReport tells whether a file under reports/ is one tally report writes
// (later commands write others there).
func isReport(name string) bool {
	return name == "index.md" || name == "how-it-works.md" || strings.HasPrefix(name, "monthly/") || strings.HasPrefix(name, "quarterly/") ||
		strings.HasPrefix(name, "annual/") || strings.HasPrefix(name, "newsletter/")
}

// files reads every file under a folder, by slash path.
func files(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReportWritesNothingOnAnInvalidLedger(t *testing.T) {
	out := filepath.Join(t.TempDir(), "reports")
	broken := caseLedger(t, "reference")
	stdout, errOut, code := run(t, "report", "--ledger", broken, "--out", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	// The findings print as validate prints them.
	want, _, _ := run(t, "validate", "--ledger", broken)
	if stdout != want || stdout == "" {
		t.Errorf("findings differ from validate's\n--- report\n%s--- validate\n%s", stdout, want)
	}
	if !strings.Contains(errOut, "no reports written") {
		t.Errorf("stderr does not say nothing was written: %q", errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was created", out)
	}
}

func TestReportRewritesOnlyWhatChanged(t *testing.T) {
	out := t.TempDir()
	// Files that are not tally's reports stay, whatever their names.
	keep := map[string]string{"partners.md": "x", "site/index.html": "x", "monthly/README.md": "x", "monthly/notes.json": "x"}
	for name, data := range keep {
		p := filepath.Join(out, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	// A report of a period without credits goes.
	stale := filepath.Join(out, "monthly", "2019-01.md")
	os.WriteFile(stale, []byte("old"), 0o644)

	_, errOut, code := run(t, "report", "--ledger", "../../ledger", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasSuffix(errOut, "files written, 0 unchanged, 1 removed\n") {
		t.Errorf("first run: %q", errOut)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale report is still there")
	}
	for name := range keep {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s was touched: %v", name, err)
		}
	}
	before := files(t, out)
	_, errOut, _ = run(t, "report", "--ledger", "../../ledger", "--out", out)
	if !strings.Contains(errOut, ": 0 files written, ") || !strings.HasSuffix(errOut, " unchanged, 0 removed\n") {
		t.Errorf("second run: %q", errOut)
	}
	after := files(t, out)
	names := func(m map[string][]byte) []string {
		var s []string
		for k := range m {
			s = append(s, k)
		}
		sort.Strings(s)
		return s
	}
	if strings.Join(names(before), ",") != strings.Join(names(after), ",") {
		t.Error("the second run changed the set of files (a temporary file left behind?)")
	}

	// An earlier --as-of drops the later periods' reports.
	_, errOut, code = run(t, "report", "--ledger", "../../ledger", "--out", out, "--as-of", "2025-12")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "monthly", "2026-01.md")); !os.IsNotExist(err) {
		t.Error("a report after --as-of is still there")
	}
	if _, err := os.Stat(filepath.Join(out, "annual", "2025.json")); err != nil {
		t.Error(err)
	}
}

func TestReportUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"report", "--as-of", "2026-13"},
		{"report", "--as-of", "October"},
		{"report", "--ledger", "testdata/no-such-folder"},
		{"report", "extra-argument"},
	} {
		out, errOut, code := run(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" || errOut == "" {
			t.Errorf("%v: want a message on stderr only, got stdout %q stderr %q", args, out, errOut)
		}
	}
}

func TestReportHelp(t *testing.T) {
	out, _, code := run(t, "report", "--help")
	if code != 0 || !strings.Contains(out, "--as-of") || !strings.Contains(out, "Examples:") {
		t.Errorf("exit %d, output %q", code, out)
	}
}

// TestReportRemovesStaleTempFiles: the temporary files of a killed run are
// removed by the next one, which writes the same reports, and git ignores
// them meanwhile.
func TestReportRemovesStaleTempFiles(t *testing.T) {
	out := t.TempDir()
	if _, errOut, code := run(t, "report", "--ledger", "../../ledger", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	before := files(t, out)
	if !strings.Contains(string(before[".gitignore"]), "\n.tally-*.tmp\n") {
		t.Errorf(".gitignore: %q", before[".gitignore"])
	}
	stale := []string{".tally-1.tmp", "monthly/.tally-22.tmp", "annual/.tally-3.tmp", "site/.tally-4.tmp", "site/partners/.tally-5.tmp"}
	for _, name := range stale {
		if err := os.WriteFile(filepath.Join(out, name), []byte(`{"period": "2026-`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if git, err := exec.LookPath("git"); err == nil {
		if err := exec.Command(git, "init", "-q", out).Run(); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(git, append([]string{"-C", out, "check-ignore", "--no-index"}, stale...)...)
		if ignored, err := cmd.Output(); err != nil || strings.Count(string(ignored), "\n") != len(stale) {
			t.Errorf("git ignores only %q (%v)", ignored, err)
		}
		os.RemoveAll(filepath.Join(out, ".git"))
	}
	_, errOut, code := run(t, "report", "--ledger", "../../ledger", "--out", out)
	if code != 0 || !strings.Contains(errOut, ": 0 files written, ") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	after := files(t, out)
	for name, data := range after {
		if !bytes.Equal(data, before[name]) {
			t.Errorf("%s is left or changed", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d files before, %d after", len(before), len(after))
	}
}

// TestReportBaseURL: with the site's address, what is meant to be copied
// out of the repository links absolutely; a malformed one is a usage
// error before anything is written.
func TestReportBaseURL(t *testing.T) {
	out := t.TempDir()
	if _, errOut, code := run(t, "report", "--ledger", "../../ledger", "--out", out, "--base-url", "https://lumen.example/p"); code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for file, want := range map[string]string{
		"monthly/2026-10.md":     "[How it works](https://lumen.example/p/rules.html) · [All shout-outs](https://lumen.example/p/shout-out.html#archive)",
		"newsletter/2026-10.md":  "(https://lumen.example/p/shout-outs/2026-10.html)",
		"newsletter/2026-10.txt": "https://lumen.example/p/shout-outs/2026-10.html",
		"site/featured.json":     `"logo": "https://lumen.example/p/logos/northwind.svg"`,
	} {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(file)))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %s (%v)", file, want, err)
		}
	}
	empty := t.TempDir()
	if _, errOut, code := run(t, "report", "--ledger", "../../ledger", "--out", empty, "--base-url", "ftp://lumen.example/"); code != 2 || !strings.Contains(errOut, "--base-url") {
		t.Errorf("a malformed --base-url: exit %d\n%s", code, errOut)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a malformed --base-url wrote %d files", len(entries))
	}
}
