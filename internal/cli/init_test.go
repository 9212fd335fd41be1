package cli

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

var initFiles = []string{
	".github/CODEOWNERS", ".github/workflows/ledger-check.yml", ".github/workflows/ledger-comment.yml", ".github/workflows/monthly.yml", ".github/workflows/pages.yml",
	"README.md", "ledger/people/mayaokafor.yaml", "ledger/program.yaml", "ledger/thresholds.yaml",
}

func TestInit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "lumen-partners")
	out, errOut, code := run(t, "init", dir, "--name", "Lumen: Partners", "--lead", "MayaOkafor", "--action-ref", "v1.2.3")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, f := range initFiles {
		if !strings.Contains(errOut, "wrote "+filepath.ToSlash(filepath.Join(dir, f))+"\n") {
			t.Errorf("init does not say it wrote %s:\n%s", f, errOut)
		}
	}
	for _, want := range []string{"1. Push it", "2. Set the secrets", "TALLY_APP_PRIVATE_KEY", "3. Enable Pages", "cd " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("the next steps lack %q:\n%s", want, out)
		}
	}

	ledgerDir := filepath.Join(dir, "ledger")
	if out, errOut, code := run(t, "validate", "--ledger", ledgerDir); code != 0 || out != "" {
		t.Errorf("validate: exit %d\n%s%s", code, out, errOut)
	}
	program := readFile(t, filepath.Join(ledgerDir, "program.yaml"))
	for _, want := range []string{`name: "Lumen: Partners"`, "leadership: [mayaokafor]", "community: [mayaokafor]"} {
		if !strings.Contains(program, want) {
			t.Errorf("program.yaml lacks %q:\n%s", want, program)
		}
	}
	if got := readFile(t, filepath.Join(ledgerDir, "people/mayaokafor.yaml")); !strings.Contains(got, "identities: {github: MayaOkafor}") {
		t.Errorf("the lead's person file:\n%s", got)
	}
	if readFile(t, filepath.Join(ledgerDir, "thresholds.yaml")) != readFile(t, "../../ledger/thresholds.yaml") {
		t.Error("thresholds.yaml differs from the bundled ledger's: copy ledger/thresholds.yaml to internal/scaffold/files/ledger/")
	}

	// A program with no credits yet: a report that says so, not a failure.
	reports := filepath.Join(dir, "reports")
	out, errOut, code = run(t, "report", "--ledger", ledgerDir, "--out", reports)
	if code != 0 || !strings.Contains(errOut, "no credits in a month that has ended: nothing to report") {
		t.Fatalf("report: exit %d\n%s%s", code, out, errOut)
	}
	if got := readFile(t, filepath.Join(reports, "index.md")); !strings.Contains(got, "# Lumen: Partners reports") || !strings.Contains(got, "No reports yet") {
		t.Errorf("reports/index.md:\n%s", got)
	}

	for _, name := range []string{"ledger-check.yml", "ledger-comment.yml", "monthly.yml", "pages.yml"} {
		checkWorkflow(t, filepath.Join(dir, ".github/workflows", name), "tallyledger/tally@v1.2.3")
	}
	owners := readFile(t, filepath.Join(dir, ".github/CODEOWNERS"))
	for _, p := range []string{"/ledger/program.yaml", "/ledger/people/", "/.github/", "/reports/", "/ledger/claims/"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(p) + `\s+@MayaOkafor$`).MatchString(owners) {
			t.Errorf("CODEOWNERS does not give %s to the lead:\n%s", p, owners)
		}
	}
}

var pinned = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9._-]+@[0-9a-f]{40}$`)

type workflow struct {
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Timeout     int               `yaml:"timeout-minutes"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Uses string `yaml:"uses"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, path string) workflow {
	t.Helper()
	var wf workflow
	if err := yaml.Unmarshal([]byte(readFile(t, path)), &wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return wf
}

// checkWorkflow: every job has a time limit and its own permissions under
// a workflow that grants none, the same as this repository's workflow of
// the same name (whose permissions its tests hold to what the Action
// needs), tally's Action is used at the given ref, and every other action
// is pinned to a commit.
func checkWorkflow(t *testing.T, path, tally string) {
	t.Helper()
	wf := readWorkflow(t, path)
	own := readWorkflow(t, filepath.Join("../../.github/workflows", filepath.Base(path)))
	if wf.Permissions == nil || len(wf.Permissions) != 0 {
		t.Errorf("%s: the workflow's permissions are %v, want {}", path, wf.Permissions)
	}
	usesTally := false
	for name, job := range wf.Jobs {
		if job.Timeout <= 0 {
			t.Errorf("%s: job %s has no timeout-minutes", path, name)
		}
		if len(job.Permissions) == 0 {
			t.Errorf("%s: job %s has no permissions of its own", path, name)
		}
		if ownJob, ok := own.Jobs[name]; ok && !maps.Equal(job.Permissions, ownJob.Permissions) {
			t.Errorf("%s: job %s asks for %v; this repository's asks for %v", path, name, job.Permissions, ownJob.Permissions)
		}
		for _, s := range job.Steps {
			switch {
			case s.Uses == "":
			case s.Uses == tally:
				usesTally = true
			case !pinned.MatchString(s.Uses):
				t.Errorf("%s: %s is not pinned to a commit", path, s.Uses)
			}
		}
	}
	if !usesTally && !strings.HasSuffix(path, "pages.yml") {
		t.Errorf("%s does not use %s", path, tally)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A second run, or a run over files of the user's, keeps every file.
func TestInitKeepsExistingFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mine := "# Our program\n"
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"init", dir, "--name", "Lumen", "--lead", "maya", "--action-ref", "0123456789abcdef0123456789abcdef01234567"}
	_, errOut, code := run(t, args...)
	if code != 0 || !strings.Contains(errOut, "kept "+filepath.ToSlash(filepath.Join(dir, "README.md"))+": it exists") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if got := readFile(t, filepath.Join(dir, "README.md")); got != mine {
		t.Errorf("README.md was rewritten:\n%s", got)
	}
	checkWorkflow(t, filepath.Join(dir, ".github/workflows/monthly.yml"), "tallyledger/tally@0123456789abcdef0123456789abcdef01234567")

	before := snapshot(t, dir)
	_, errOut, code = run(t, append(args[:2], "--name", "Other", "--lead", "maya", "--action-ref", "v2.0.0")...)
	if code != 0 || strings.Contains(errOut, "wrote") {
		t.Fatalf("second run: exit %d\n%s", code, errOut)
	}
	for _, f := range initFiles {
		f = strings.Replace(f, "mayaokafor", "maya", 1)
		if !strings.Contains(errOut, "kept "+filepath.ToSlash(filepath.Join(dir, f))) {
			t.Errorf("the second run does not say it kept %s:\n%s", f, errOut)
		}
	}
	if after := snapshot(t, dir); !maps.Equal(after, before) {
		t.Error("the second run changed files")
	}
}

func TestInitUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lead", "maya", "--action-ref", "v1.2.3"}, "--name is required when standard input is not a terminal"},
		{[]string{"--name", "Lumen", "--action-ref", "v1.2.3"}, "--lead is required when standard input is not a terminal"},
		{[]string{"--name", "Lumen", "--lead", "-maya", "--action-ref", "v1.2.3"}, `"-maya" is not a GitHub login`},
		{[]string{"--name", "Lumen", "--lead", "maya", "--action-ref", "main; rm"}, `"main; rm" is not a ref of tally's Action`},
		// A test binary has no release version and no commit.
		{[]string{"--name", "Lumen", "--lead", "maya"}, "--action-ref: this tally is a development build"},
	} {
		out, errOut, code := run(t, append([]string{"init", dir}, c.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q\n%s%s", c.args, code, c.want, out, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed init wrote %d files", len(entries))
	}
}

// On a terminal init asks for what the flags do not give, again after an
// answer it cannot take.
func TestInitAsksOnATerminal(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "lumen-partners")
	var out, errb bytes.Buffer
	s := &streams{in: strings.NewReader("\nnot a login!\nMayaOkafor\n"), out: &out, err: &errb, now: time.Now, terminal: true}
	code := execute(newRoot(s), []string{"init", dir, "--action-ref", "v1.2.3"}, s.in, s.out, s.err)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	for _, want := range []string{
		"The program's name [lumen-partners]: ",
		"The GitHub login of the program's lead: \"not a login!\" is not a GitHub login",
		"The GitHub login of the program's lead: wrote ",
	} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("the session lacks %q:\n%s", want, errb.String())
		}
	}
	if got := readFile(t, filepath.Join(dir, "ledger/program.yaml")); !strings.Contains(got, "name: lumen-partners\n") || !strings.Contains(got, "leadership: [mayaokafor]") {
		t.Errorf("program.yaml:\n%s", got)
	}

	// Input that ends before an answer is a usage error.
	errb.Reset()
	s.in = strings.NewReader("Lumen\n")
	if code := execute(newRoot(s), []string{"init", t.TempDir(), "--action-ref", "v1.2.3"}, s.in, s.out, s.err); code != exitUsage ||
		!strings.Contains(errb.String(), "no answer for --lead: give it as a flag") {
		t.Errorf("exit %d\n%s", code, errb.String())
	}
}

// /dev/null is a character device but not a terminal: input from it is a
// script's, and progress drawn to it is wasted.
func TestDevNullIsNotATerminal(t *testing.T) {
	t.Parallel()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("isTerminal(/dev/null) = true")
	}
}
