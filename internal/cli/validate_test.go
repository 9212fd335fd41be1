package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
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

// TestInvalidLedgers runs tally validate on each broken ledger under
// testdata/invalid/<case>/ledger and compares its output with want.txt
// beside it (paths relative to the case folder). A case may hold an args
// file with extra flags. Run with -update to rewrite want.txt.
func TestInvalidLedgers(t *testing.T) {
	cases, err := filepath.Glob("testdata/invalid/*")
	if err != nil || len(cases) == 0 {
		t.Fatal("no cases in testdata/invalid")
	}
	for _, dir := range cases {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			args := []string{"validate", "--ledger", filepath.Join(dir, "ledger")}
			if extra, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
				args = append(args, strings.Fields(string(extra))...)
			}
			out, errOut, code := run(t, args...)
			got := strings.ReplaceAll(out, dir+"/", "")
			wantFile := filepath.Join(dir, "want.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\n--- got\n%s--- want\n%s", wantFile, got, want)
			}
			if code != 1 {
				t.Errorf("exit %d, want 1 (stderr: %s)", code, errOut)
			}
		})
	}
}

// TestEveryRuleHasACase keeps the golden cases complete: each rule, of the
// loader and of the checks, shows up in some case's output.
func TestEveryRuleHasACase(t *testing.T) {
	wants, _ := filepath.Glob("testdata/invalid/*/want.txt")
	seen := map[string]bool{}
	ruleRe := regexp.MustCompile(`\[([a-z-]+)\]$`)
	for _, w := range wants {
		b, _ := os.ReadFile(w)
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if m := ruleRe.FindStringSubmatch(line); m != nil {
				seen[m[1]] = true
			}
		}
	}
	rules := []string{"file-kind", "file-size", "encoding", "yaml", "multi-document", "duplicate-key", "alias", "symlink", "schema", "date", "more-findings"}
	for _, r := range check.Rules {
		rules = append(rules, r.Name)
	}
	for _, r := range rules {
		if !seen[r] {
			t.Errorf("rule %s has no case in testdata/invalid", r)
		}
	}
}

func TestValidateJSON(t *testing.T) {
	dir := "testdata/invalid/reference"
	out, _, code := run(t, "validate", "--json", "--ledger", filepath.Join(dir, "ledger"))
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
		if !strings.HasPrefix(f.Path, dir+"/ledger/") {
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
	before := snapshot(t, "testdata/invalid")
	run(t, "validate", "--ledger", "testdata/invalid/schema/ledger")
	if after := snapshot(t, "testdata/invalid"); !maps.Equal(before, after) {
		t.Error("validate changed files under testdata/invalid")
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
