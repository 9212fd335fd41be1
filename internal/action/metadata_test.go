package action

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
	"go.yaml.in/yaml/v3"
)

// SchemaStore's schemas for action.yml and workflows, when ../shared is
// next to the repository (a fresh clone has none).
const schemaStore = "../../../shared/data/schemastore"

func loadYAML(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func validateAgainst(t *testing.T, schemaFile, docFile string) {
	t.Helper()
	schemaPath := filepath.Join(schemaStore, schemaFile)
	if _, err := os.Stat(schemaPath); err != nil {
		t.Skipf("%s is absent", schemaPath)
	}
	abs, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gojsonschema.NewSchema(gojsonschema.NewReferenceLoader("file://" + filepath.ToSlash(abs)))
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaFile, err)
	}
	res, err := s.Validate(gojsonschema.NewGoLoader(loadYAML(t, docFile)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("%s: %s", docFile, e)
	}
}

func TestActionMetadataSchema(t *testing.T) {
	validateAgainst(t, "github-action.json", "../../action.yml")
}

func TestWorkflowsSchema(t *testing.T) {
	files, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { validateAgainst(t, "github-workflow.json", f) })
	}
}

// The composite steps get no INPUT_* variables of their own: every input
// must be passed to tally through env:, and every output must come from
// tally's step. This keeps action.yml and the inputs tally reads in step.
func TestActionMetadataPassesEveryInput(t *testing.T) {
	var meta struct {
		Inputs  map[string]any `yaml:"inputs"`
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				ID  string            `yaml:"id"`
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", meta.Runs.Using)
	}
	var env map[string]string
	for _, s := range meta.Runs.Steps {
		if s.ID == "tally" {
			env = s.Env
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("a run: script expands an expression; pass it through env: instead:\n%s", s.Run)
		}
	}
	if env == nil {
		t.Fatal("no step with id tally")
	}
	for name := range meta.Inputs {
		key := "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if env[key] != "${{ inputs."+name+" }}" {
			t.Errorf("input %s is not passed as %s: ${{ inputs.%s }}", name, key, name)
		}
	}
	for name := range env {
		input := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(name, "INPUT_"), "_", "-"))
		if _, ok := meta.Inputs[input]; !ok {
			t.Errorf("env %s passes no declared input", name)
		}
	}
	var outputs []string
	for name, o := range meta.Outputs {
		outputs = append(outputs, name)
		if o.Value != "${{ steps.tally.outputs."+name+" }}" {
			t.Errorf("output %s = %q, want tally's output", name, o.Value)
		}
	}
	slices.Sort(outputs)
	if want := []string{"changed", "findings", "pull-request-number", "pull-request-operation", "pull-request-url"}; !slices.Equal(outputs, want) {
		t.Errorf("outputs = %v, want %v", outputs, want)
	}
}

// buildEnv is the env: of action.yml's step that builds tally.
func buildEnv(t *testing.T) map[string]string {
	t.Helper()
	var meta struct {
		Runs struct {
			Steps []struct {
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(mustRead(t, "../../action.yml"), &meta); err != nil {
		t.Fatal(err)
	}
	for _, s := range meta.Runs.Steps {
		if strings.Contains(s.Run, "go build") {
			return s.Env
		}
	}
	t.Fatal("no step builds tally")
	return nil
}

// The check may build the action from a copy inside the pull request's
// workspace: a go.work there, or a go.mod or go.sum the build would
// update, must not bring the pull request's code into the binary.
func TestActionMetadataBuildIgnoresWorkspace(t *testing.T) {
	if env := buildEnv(t); env["GOWORK"] != "off" || env["GOFLAGS"] != "-mod=readonly" {
		t.Errorf("the build step's env = %v, want GOWORK: off and GOFLAGS: -mod=readonly", env)
	}
}

// With the build step's env, go ignores a go.work in a parent folder,
// as a pull request could add around ./.tally-base.
func TestBuildEnvIgnoresParentWorkspace(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	base := filepath.Join(dir, ".tally-base")
	for name, text := range map[string]string{
		filepath.Join(dir, "go.work"): "go 1.22\n\nuse ./.tally-base\n",
		filepath.Join(base, "go.mod"): "module example.com/base\n\ngo 1.22\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gowork := func(env ...string) string {
		cmd := exec.Command(goBin, "env", "GOWORK")
		cmd.Dir = base
		cmd.Env = append(os.Environ(), append([]string{"GOWORK=", "GOFLAGS=", "GOTOOLCHAIN=local"}, env...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go env GOWORK: %v", err)
		}
		return strings.TrimSpace(string(out))
	}
	if got := gowork(); got != filepath.Join(dir, "go.work") {
		t.Skipf("go does not find the parent go.work here (%q)", got)
	}
	var env []string
	for k, v := range buildEnv(t) {
		env = append(env, k+"="+v)
	}
	if got := gowork(env...); got != "off" {
		t.Errorf("with the build step's env, go uses the workspace %q", got)
	}
}

// GitHub asks the leadership to review what decides the check and who a
// reviewer is; the last matching line of CODEOWNERS wins, as on GitHub.
func TestCodeOwners(t *testing.T) {
	type rule struct{ pattern, owner string }
	var rules []rule
	for _, line := range strings.Split(string(mustRead(t, "../../.github/CODEOWNERS")), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && !strings.HasPrefix(f[0], "#") {
			rules = append(rules, rule{f[0], f[1]})
		}
	}
	owner := func(file string) string {
		o := ""
		for _, r := range rules {
			if p := r.pattern; p == file || (strings.HasSuffix(p, "/") && strings.HasPrefix(file, p)) {
				o = r.owner
			}
		}
		return o
	}
	for _, f := range []string{
		"/.github/workflows/ledger-check.yml", "/.github/CODEOWNERS", "/action.yml",
		"/ledger/people/aiko-tanaka.yaml", "/ledger/organizations/ipe-labs.yaml", "/ledger/conduct/2026.yaml",
		"/ledger/program.yaml", "/ledger/notes/2026-10.md", "/reports/partners.json",
	} {
		if o := owner(f); o != "@tallyledger/leadership" {
			t.Errorf("%s is owned by %q, want the leadership", f, o)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The check is meant to be required: a paths filter would leave pull
// requests that touch neither the ledger nor the reports waiting for a
// check that never starts.
func TestLedgerCheckRunsOnEveryPullRequest(t *testing.T) {
	var wf struct {
		On map[string]map[string]any `yaml:"on"`
	}
	if err := yaml.Unmarshal(mustRead(t, "../../.github/workflows/ledger-check.yml"), &wf); err != nil {
		t.Fatal(err)
	}
	for _, event := range []string{"pull_request", "pull_request_review"} {
		trigger, ok := wf.On[event]
		if !ok {
			t.Errorf("ledger-check.yml does not run on %s", event)
		}
		for _, filter := range []string{"paths", "paths-ignore", "branches", "branches-ignore"} {
			if _, ok := trigger[filter]; ok {
				t.Errorf("ledger-check.yml filters %s by %s", event, filter)
			}
		}
	}
}

// A job without timeout-minutes may run for GitHub's default of six hours:
// a stuck request or a rate-limit wait would hold a runner, and the
// monthly run's concurrency group, all that time.
func TestWorkflowJobsHaveTimeouts(t *testing.T) {
	files, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	for _, f := range files {
		var wf struct {
			Jobs map[string]struct {
				Timeout any `yaml:"timeout-minutes"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(mustRead(t, f), &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(wf.Jobs) == 0 {
			t.Errorf("%s has no jobs", f)
		}
		for name, job := range wf.Jobs {
			if minutes, ok := job.Timeout.(int); !ok || minutes < 1 || minutes > 120 {
				t.Errorf("%s: job %s has timeout-minutes %v, want a whole number of minutes up to 120", filepath.Base(f), name, job.Timeout)
			}
		}
	}
}

// setup-go registers a problem matcher that would make annotations of
// data in tally's log; it is removed before tally runs.
func TestActionMetadataRemovesGoMatcher(t *testing.T) {
	var meta struct {
		Runs struct {
			Steps []struct {
				Uses string `yaml:"uses"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(mustRead(t, "../../action.yml"), &meta); err != nil {
		t.Fatal(err)
	}
	setupGo, removed := -1, -1
	for i, s := range meta.Runs.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			setupGo = i
		case strings.Contains(s.Run, `"::remove-matcher owner=go::"`):
			removed = i
		case strings.Contains(s.Run, "tally-action/tally\" action"):
			if setupGo < 0 || removed < setupGo {
				t.Errorf("tally runs (step %d) with setup-go's matcher (setup-go at step %d, removed at %d)", i, setupGo, removed)
			}
		}
	}
}

// Each job has the permissions it needs and no more. The monthly run marks
// its commit with a status and the check reads it: without these the
// report pull request could not be trusted. The check, which reads what a
// pull request brings, may write nothing; only the comment workflow,
// which runs the default branch's code, writes to pull requests, and only
// the monthly run opens issues.
func TestWorkflowPermissions(t *testing.T) {
	for file, want := range map[string]map[string]string{
		"monthly.yml":        {"contents": "write", "pull-requests": "write", "statuses": "write", "issues": "write"},
		"ledger-check.yml":   {"contents": "read", "pull-requests": "read", "statuses": "read"},
		"ledger-comment.yml": {"actions": "read", "contents": "read", "pull-requests": "write"},
	} {
		var wf struct {
			Jobs map[string]struct {
				Permissions map[string]string `yaml:"permissions"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(mustRead(t, "../../.github/workflows/"+file), &wf); err != nil {
			t.Fatal(err)
		}
		for name, job := range wf.Jobs {
			if !maps.Equal(job.Permissions, want) {
				t.Errorf("%s: job %s has permissions %v, want %v", file, name, job.Permissions, want)
			}
		}
	}
}
