package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/check"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// run calls the command line as a user would and returns its outputs.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestBundledLedgerIsValid(t *testing.T) {
	out, errOut, code := run(t, "validate", "--ledger", "../../ledger")
	if code != 0 || out != "" {
		t.Fatalf("tally validate on the bundled ledger: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "is valid") {
		t.Errorf("no summary on stderr: %q", errOut)
	}
}

// TestInvalidLedgers runs tally validate on each golden case (see
// golden_test.go) and compares its output with the case's want.txt, paths
// relative to the case. Run with -update to rewrite the want.txt.
func TestInvalidLedgers(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got, errOut, code := validateCase(t, c)
			if *update {
				c.setWant(t, []byte(got))
			}
			if want := c.want(t); got != string(want) {
				t.Errorf("output differs from %s\n--- got\n%s--- want\n%s", c.path, got, want)
			}
			if code != 1 {
				t.Errorf("exit %d, want 1 (stderr: %s)", code, errOut)
			}
		})
	}
}

// validateCase runs tally validate on a golden case as the user would on
// its folder.
func validateCase(t *testing.T, c goldenCase) (out, errOut string, code int) {
	t.Helper()
	dir := c.dir(t)
	out, errOut, code = run(t, append([]string{"validate", "--ledger", filepath.Join(dir, "ledger")}, c.args(t)...)...)
	return strings.ReplaceAll(out, dir+"/", ""), errOut, code
}

// TestBaseLedgerIsValid: the findings of a case come from its own files.
func TestBaseLedgerIsValid(t *testing.T) {
	if out, errOut, code := run(t, "validate", "--ledger", baseLedger); code != 0 {
		t.Fatalf("tally validate on %s: exit %d\n%s%s", baseLedger, code, out, errOut)
	}
}

// TestArchive: a case file reads back as it is written, its sections
// byte for byte.
func TestArchive(t *testing.T) {
	text := "A comment.\n-- args --\n--max-file-size 200\n-- people/carol.yaml --\n-- people/x.yaml (deleted) --\n-- want.txt --\nline -- not a section --\n"
	a := parseArchive([]byte(text))
	if string(a.comment) != "A comment.\n" || len(a.files) != 4 {
		t.Fatalf("parsed %q and %d sections", a.comment, len(a.files))
	}
	if a.files[1].name != "people/carol.yaml" || len(a.files[1].data) != 0 || a.files[2].name != "people/x.yaml (deleted)" {
		t.Errorf("sections %+v", a.files)
	}
	if want, _ := a.get("want.txt"); string(want) != "line -- not a section --\n" {
		t.Errorf("want.txt = %q", want)
	}
	if got := string(a.format()); got != text {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, text)
	}
}

// TestFolderCase: a case kept as a folder runs as one kept as a .txtar
// file, and -convert turns it into one that lays out the same ledger.
func TestFolderCase(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder-case")
	if err := os.CopyFS(filepath.Join(folder, "ledger"), os.DirFS(baseLedger)); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(folder, "ledger/people/carol.yaml"), "name: Carol Example\nidentities: {github: carol-gh}\nvisibility: secret\n")
	if err := os.Remove(filepath.Join(folder, "ledger/credits/2026/10/github.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("alice.yaml", filepath.Join(folder, "ledger/people/al.yaml")); err != nil {
		t.Fatal(err)
	}
	want := "ledger/people/alice.yaml:2:22: identity github:alice-gh already belongs to al; an identity has one owner, so remove it from one of them (first at ledger/people/al.yaml:2:22) [identity]\n" +
		"ledger/people/carol.yaml:3:13: visibility: \"secret\" is not allowed; expected one of public, anonymous, hidden [schema]\n"
	write(filepath.Join(folder, "want.txt"), want)
	write(filepath.Join(folder, "args"), "--max-file-size 4MiB\n")

	cases := casesIn(t, dir)
	if len(cases) != 1 || cases[0].txt != nil {
		t.Fatalf("cases %+v", cases)
	}
	check := func(c goldenCase) {
		t.Helper()
		if got, errOut, _ := validateCase(t, c); got != want {
			t.Errorf("%s: got %q (%s), want %q", c.path, got, errOut, want)
		}
		if args := c.args(t); !slices.Equal(args, []string{"--max-file-size", "4MiB"}) {
			t.Errorf("%s: args %q", c.path, args)
		}
	}
	check(cases[0])
	cases[0].toArchive(t)
	cases = casesIn(t, dir)
	if len(cases) != 1 || cases[0].txt == nil {
		t.Fatalf("after -convert, cases %+v", cases)
	}
	check(cases[0])
	var names []string
	for _, f := range cases[0].txt.files {
		names = append(names, f.name)
	}
	if w := []string{"args", "credits/2026/10/github.yaml (deleted)", "people/al.yaml (symlink)", "people/carol.yaml", "want.txt"}; !slices.Equal(names, w) {
		t.Errorf("sections %q, want %q", names, w)
	}
}

// TestConvertGoldenCases turns the cases kept as folders into .txtar
// files, when run with -convert.
func TestConvertGoldenCases(t *testing.T) {
	if !*convert {
		t.Skip("run with -convert to turn folder cases into .txtar files")
	}
	for _, c := range goldenCases(t) {
		if c.txt == nil {
			c.toArchive(t)
		}
	}
}

func TestListRules(t *testing.T) {
	out, _, code := run(t, "validate", "--list-rules")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != len(check.Rules) {
		t.Fatalf("exit %d, %d lines for %d rules:\n%s", code, len(lines), len(check.Rules), out)
	}
	for i, r := range check.Rules {
		if name, summary, _ := strings.Cut(lines[i], " "); name != r.Name || strings.TrimSpace(summary) != r.Summary {
			t.Errorf("line %d = %q, want rule %s", i+1, lines[i], r.Name)
		}
	}
	// Big numbers are written as everywhere else, in groups of three.
	for _, want := range []string{"at most 2,147,483,647 points", "less than 1,000,000,000,000 US dollars"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	out, _, code = run(t, "validate", "--list-rules", "--json")
	var got struct {
		Rules []struct{ Name, Summary, Scope string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 || len(got.Rules) != len(check.Rules) {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	scopes := map[string]string{}
	for _, r := range got.Rules {
		scopes[r.Name] = r.Scope
	}
	if scopes["yaml"] != "file" || scopes["kind"] != "ledger" || !strings.Contains(out, "people/<id>.yaml") {
		t.Errorf("scopes %v, or summaries escaped:\n%s", scopes, out)
	}
}

func TestValidateJSON(t *testing.T) {
	t.Chdir(findCase(t, "reference").dir(t))
	out, _, code := run(t, "validate", "--json", "--ledger", "ledger")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var got struct {
		Findings []struct {
			Path, Message, Rule, Field string
			Line, Column               int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(got.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range got.Findings {
		if f.Path == "" || f.Line < 1 || f.Column < 1 || f.Rule == "" || f.Message == "" {
			t.Errorf("incomplete finding %+v", f)
		}
		if !strings.HasPrefix(f.Path, "ledger/") {
			t.Errorf("path %q is not relative to the working directory", f.Path)
		}
	}
}

func TestValidateUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "--ledger", "testdata/no-such-folder"},
		{"validate", "extra-argument"},
		{"validate", "--no-such-flag"},
		{"no-such-command"},
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

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help", "validate"}, {"validate", "--help"}} {
		out, _, code := run(t, args...)
		if code != 0 || !strings.Contains(out, "validate") {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
	}
	out, _, code := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "tally ") {
		t.Errorf("version: exit %d, output %q", code, out)
	}
}

// TestValidateLosesNothing: validating never changes a file.
func TestValidateLosesNothing(t *testing.T) {
	dir := findCase(t, "schema").dir(t)
	before := snapshot(t, dir)
	run(t, "validate", "--ledger", filepath.Join(dir, "ledger"))
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Error("validate changed files of the ledger")
	}
}

// snapshot reads every regular file under root, by slash path inside it.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(rel)] = string(b)
			return err
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
