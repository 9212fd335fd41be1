package action

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// env is a runner environment for tests.
type env map[string]string

func (e env) get(k string) string { return e[k] }

func newTestRuntime(t *testing.T, e env) (*Runtime, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	if _, ok := e["GITHUB_OUTPUT"]; !ok {
		e["GITHUB_OUTPUT"] = filepath.Join(dir, "output")
	}
	if _, ok := e["GITHUB_STEP_SUMMARY"]; !ok {
		e["GITHUB_STEP_SUMMARY"] = filepath.Join(dir, "summary")
	}
	var out bytes.Buffer
	return NewRuntime(e.get, &out, io.Discard), &out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

func TestInput(t *testing.T) {
	e := env{
		"INPUT_LEDGER":       "  ledger/  \n",
		"INPUT_GITHUB-TOKEN": "t1",
		"INPUT_AS_OF":        "2026-10",
		"INPUT_REPOSITORIES": "acme/widget\n\n  acme/docs  \n",
		"INPUT_ALLOW-LARGE":  "yes",
	}
	r, _ := newTestRuntime(t, e)
	if got := r.Input("ledger"); got != "ledger/" {
		t.Errorf("ledger = %q", got)
	}
	if got := r.Input("github-token"); got != "t1" {
		t.Errorf("github-token = %q, want the runner's spelling read", got)
	}
	if got := r.Input("as-of"); got != "2026-10" {
		t.Errorf("as-of = %q, want the underscore spelling read", got)
	}
	if got := r.ListInput("repositories"); strings.Join(got, ",") != "acme/widget,acme/docs" {
		t.Errorf("repositories = %q", got)
	}
	if _, err := r.BoolInput("allow-large"); err == nil || !strings.Contains(err.Error(), `"yes" is not true or false`) {
		t.Errorf("BoolInput(yes) error = %v", err)
	}
	if v, err := r.BoolInput("missing"); v || err != nil {
		t.Errorf("BoolInput(missing) = %v, %v", v, err)
	}
}

func TestSetOutput(t *testing.T) {
	e := env{}
	r, _ := newTestRuntime(t, e)
	if err := r.SetOutput("pull-request-number", "12"); err != nil {
		t.Fatal(err)
	}
	// A value that tries to set another output on its own line.
	evil := "line one\nchanged=true\nEOF"
	if err := r.SetOutput("findings-text", evil); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, e["GITHUB_OUTPUT"])
	re := regexp.MustCompile(`^pull-request-number=12\nfindings-text<<(ghadelimiter_[0-9a-f]{32})\nline one\nchanged=true\nEOF\n(ghadelimiter_[0-9a-f]{32})\n$`)
	m := re.FindStringSubmatch(got)
	if m == nil || m[1] != m[2] {
		t.Fatalf("GITHUB_OUTPUT =\n%s", got)
	}
	for _, name := range []string{"a=b", "a\nb", "", "x<<y"} {
		if err := r.SetOutput(name, "v"); err == nil {
			t.Errorf("SetOutput(%q) accepted a bad name", name)
		}
	}
}

func TestSetOutputWithoutRunner(t *testing.T) {
	var out bytes.Buffer
	r := NewRuntime(env{}.get, &out, io.Discard)
	if err := r.SetOutput("changed", "false"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "output changed=false\n" {
		t.Errorf("stdout = %q", out.String())
	}
}

func TestWorkflowCommands(t *testing.T) {
	r, out := newTestRuntime(t, env{})
	r.AddMask("s3cr%t")
	r.AddMask("")
	r.Group("Validate")
	r.EndGroup()
	r.Error("kind \"x\" is unknown\nsee docs 100%", Annotation{Title: "kind", File: "ledger/claims/a,b:c.yaml", Line: 3, Col: 7})
	r.Warning("no line", Annotation{File: "ledger/program.yaml"})
	r.Error("no file", Annotation{})
	want := "::add-mask::s3cr%25t\n" +
		"::group::Validate\n" +
		"::endgroup::\n" +
		"::error title=kind,file=ledger/claims/a%2Cb%3Ac.yaml,line=3,col=7::kind \"x\" is unknown%0Asee docs 100%25\n" +
		"::warning file=ledger/program.yaml::no line\n" +
		"::error::no file\n"
	if out.String() != want {
		t.Errorf("stdout =\n%s\nwant\n%s", out.String(), want)
	}
}

func TestSummary(t *testing.T) {
	e := env{}
	r, _ := newTestRuntime(t, e)
	if err := r.Summary("# One\n"); err != nil {
		t.Fatal(err)
	}
	if err := r.Summary("two\n"); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, e["GITHUB_STEP_SUMMARY"]); got != "# One\ntwo\n" {
		t.Errorf("summary = %q", got)
	}
	big := strings.Repeat("a line of the summary\n", MaxSummary/10)
	if err := r.Summary(big); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, e["GITHUB_STEP_SUMMARY"])
	if len(got) > MaxSummary || !strings.HasSuffix(got, "holds at most 1 MiB.*\n") || !strings.HasPrefix(got, "# One\ntwo\na line") {
		t.Errorf("summary of %d bytes ends %q", len(got), got[len(got)-80:])
	}
	if err := r.Summary("more"); err == nil {
		t.Error("a full summary took more")
	}
}

// Text in the log is never a workflow command, however it is split into
// writes; tally's own commands start lines of their own.
func TestLogTextIsInert(t *testing.T) {
	var out, errs bytes.Buffer
	r := NewRuntime(env{}.get, &out, &errs)
	fmt.Fprint(r.Out(), "key x\n::stop-commands::x: unknown\n")
	fmt.Fprint(r.Out(), "partial :")
	r.Group("Check") // ends the open line first
	fmt.Fprint(r.Out(), ":")
	fmt.Fprint(r.Out(), ":notice::split across writes\r \u00a0\u200b::warning::after blanks\r\n")
	fmt.Fprint(r.Out(), "mid-line ##[error]old syntax, 100% kept: a::b")
	r.Flush()
	fmt.Fprint(r.Err(), "progress\r::add-mask::x\n")
	r.Flush()
	want := "key x\n%3A%3Astop-commands::x: unknown\npartial :\n::group::Check\n" +
		"%3A%3Anotice::split across writes\r \u00a0\u200b%3A%3Awarning::after blanks\r\n" +
		"mid-line %23%23[error]old syntax, 100% kept: a::b\n"
	if out.String() != want {
		t.Errorf("stdout =\n%q\nwant\n%q", out.String(), want)
	}
	if errs.String() != "progress\r%3A%3Aadd-mask::x\n" {
		t.Errorf("stderr = %q", errs.String())
	}
}
