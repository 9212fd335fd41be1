package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tallyledger/tally/internal/action"
	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// runner drives tally action as the GitHub runner does: through the
// environment, with files for outputs and the step summary, the event as
// a JSON file, and the API at a test server.
type runner struct {
	t      *testing.T
	repo   *gittest.Repo
	srv    *githubtest.Server
	ingest action.Ingester
	// now is the clock: mid-November 2026, when October is the latest
	// month of the bundled ledger that has ended.
	now time.Time
	// env holds more of the runner's environment (the sources' secrets).
	env map[string]string
	// temp is the runner's temporary folder (RUNNER_TEMP); each step has a
	// new one when it is empty.
	temp string
}

type stepResult struct {
	code           int
	stdout, stderr string
	outputs        map[string]string
	summary        string
	temp           string // RUNNER_TEMP
}

// program is the bundled ledger and its reports, committed.
var program = gittest.NewTemplate(func(r *gittest.Repo) {
	r.CopyDir("../../ledger", "ledger")
	r.CopyDir("../../reports", "reports")
	r.Commit("the program")
})

func TestMain(m *testing.M) {
	code := m.Run()
	program.Remove()
	os.Exit(code)
}

// newRunner is a runner on a copy of program, for a test that runs in
// parallel with the others: the runner's environment and working folder
// are the step's, never the process's.
func newRunner(t *testing.T) *runner {
	t.Helper()
	t.Parallel()
	return serialRunner(t)
}

// serialRunner is newRunner for a subtest whose result its parent reads
// when it returns, so it cannot wait to run in parallel.
func serialRunner(t *testing.T) *runner {
	t.Helper()
	repo := program.Copy(t)
	srv := githubtest.New(t, "lumen", "program")
	srv.Token = "ghs_secret"
	srv.WebURL = "https://github.example"
	srv.ImportHead(t, repo.Dir, "main")
	now := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	return &runner{t: t, repo: repo, srv: srv, now: now}
}

// step runs tally action once with the inputs, for an event.
func (r *runner) step(eventName string, event any, inputs map[string]string) stepResult {
	t := r.t
	t.Helper()
	dir := t.TempDir()
	eventPath := filepath.Join(dir, "event.json")
	temp := r.temp
	if temp == "" {
		temp = t.TempDir()
	}
	data, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(eventPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// As action.yml passes them, with the defaults it declares.
	env := maps.Clone(r.env)
	if env == nil {
		env = map[string]string{}
	}
	inputs = maps.Clone(inputs)
	for k, v := range map[string]string{"ledger": "ledger", "reports": "reports", "github-token": "ghs_secret", "branch": "tally/reports", "allow-large-changes": "false"} {
		if _, ok := inputs[k]; !ok {
			inputs[k] = v
		}
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(strings.ReplaceAll(k, "-", "_"))] = v
	}
	for k, v := range map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_EVENT_PATH":   eventPath,
		"GITHUB_EVENT_NAME":   eventName,
		"GITHUB_REPOSITORY":   "lumen/program",
		"GITHUB_API_URL":      r.srv.URL,
		"GITHUB_SERVER_URL":   r.srv.WebURL,
		"GITHUB_WORKSPACE":    r.repo.Dir,
		"GITHUB_REF":          "refs/heads/main",
		"RUNNER_TEMP":         temp,
	} {
		env[k] = v
	}
	var out, errb bytes.Buffer
	s := &streams{in: strings.NewReader(""), out: &out, err: &errb, now: func() time.Time { return r.now }}
	root := newRoot(s)
	for _, c := range root.Commands() {
		if c.Name() == "action" {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(newAction(s, r.ingest, func(k string) string { return env[k] }))
	code := execute(root, []string{"action"}, s.in, s.out, s.err)
	res := stepResult{code: code, stdout: out.String(), stderr: errb.String(), outputs: parseOutputs(t, env["GITHUB_OUTPUT"]), temp: temp}
	if b, err := os.ReadFile(env["GITHUB_STEP_SUMMARY"]); err == nil {
		res.summary = string(b)
	}
	if !strings.HasPrefix(res.stdout, "::add-mask::ghs_secret\n") {
		t.Errorf("the token is not masked first: %.80q", res.stdout)
	}
	if strings.Contains(strings.TrimPrefix(res.stdout, "::add-mask::ghs_secret\n")+res.stderr+res.summary, "ghs_secret") {
		t.Errorf("the token was printed")
	}
	return res
}

var heredoc = regexp.MustCompile(`^([A-Za-z0-9_-]+)<<(ghadelimiter_[0-9a-f]+)$`)

// parseOutputs reads GITHUB_OUTPUT as the runner does.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if m := heredoc.FindStringSubmatch(lines[i]); m != nil {
			var val []string
			for i++; i < len(lines) && lines[i] != m[2]; i++ {
				val = append(val, lines[i])
			}
			out[m[1]] = strings.Join(val, "\n")
			continue
		}
		k, v, ok := strings.Cut(lines[i], "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is neither name=value nor a heredoc", lines[i])
		}
		out[k] = v
	}
	return out
}

// shardIngester stands in for ingestion: it writes one credit shard, the
// same each time, as re-ingesting the same activity does.
type shardIngester struct {
	calls int
	api   string
}

const ingestedShard = `credits:
  - id: github:lumen/lumen#7001
    who: github:aikotanaka
    kind: pull_request
    date: 2026-10-30
    url: https://github.com/lumen/lumen/pull/7001
    title: Faster funnels
    project: lumen/lumen
`

func (s *shardIngester) Ingest(ctx context.Context, api action.API, ledgerDir string, repos []string, stderr io.Writer) error {
	s.calls++
	if api.URL != s.api || api.Token == "" {
		return fmt.Errorf("ingesting from %s with token %v, not the runner's API %s with the input's token", api.URL, api.Token != "", s.api)
	}
	if strings.Join(repos, ",") != "lumen/lumen,lumen/docs" {
		return io.ErrUnexpectedEOF
	}
	name := filepath.Join(ledgerDir, "credits", "2026", "10", "github-sync.yaml")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(ingestedShard), 0o644)
}

func monthlyInputs() map[string]string {
	return map[string]string{"command": "monthly", "repositories": "lumen/lumen\nlumen/docs\n"}
}

func TestActionMonthly(t *testing.T) {
	r := newRunner(t)
	ing := &shardIngester{api: r.srv.URL}
	r.ingest = ing
	schedule := map[string]any{"schedule": "17 5 1 * *"}
	base := r.srv.Ref("heads/main")

	// First run: one commit on a new branch, one new pull request.
	res := r.step("schedule", schedule, monthlyInputs())
	if res.code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res.outputs["pull-request-operation"] != "created" || res.outputs["pull-request-number"] != "1" || res.outputs["changed"] != "true" ||
		res.outputs["pull-request-url"] != "https://github.example/lumen/program/pull/1" {
		t.Fatalf("first run outputs = %v", res.outputs)
	}
	head := r.srv.Ref("heads/tally/reports")
	c := r.srv.Commit(head)
	if c == nil || len(c.Parents) != 1 || c.Parents[0] != base || !c.Signed {
		t.Fatalf("the report commit = %+v, want one signed commit on %s", c, base)
	}
	files := r.srv.Files(head)
	if files["ledger/credits/2026/10/github-sync.yaml"] != ingestedShard {
		t.Error("the ingested shard is not in the commit")
	}
	status := r.repo.Git("status", "--porcelain")
	if !strings.Contains(status, "reports/monthly/2026-10.json") {
		t.Fatalf("the report did not change the October report:\n%s", status)
	}
	for _, p := range []string{"reports/monthly/2026-10.json", "reports/monthly/2026-10.md", "reports/quarterly/2026-Q4.md", "reports/annual/2026.json"} {
		if files[p] != r.repo.Read(p) {
			t.Errorf("%s in the commit differs from the run's", p)
		}
	}
	pulls := r.srv.Pulls()
	if len(pulls) != 1 || pulls[0].Title != "Reports to 2026-10" || pulls[0].Base != "main" || pulls[0].Head != "tally/reports" {
		t.Fatalf("pull requests = %+v", pulls)
	}
	body := pulls[0].Body
	for _, want := range []string{"Reports to 2026-10", "### Top movers in 2026-10: people", "| 1 | Oliver Brennan | 44 | +23 | 1 (+1) |", "`ledger/credits` 1",
		"[2026-10](https://github.example/lumen/program/blob/tally/reports/reports/monthly/2026-10.md)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the pull request body lacks %q:\n%s", want, body)
		}
	}
	// Atelier Cobalt's fall from 4 points to 2 is half, but below
	// decline_alert_min_score: no alert.
	if strings.Contains(body, "### Alerts") {
		t.Errorf("the pull request body has alerts:\n%s", body)
	}
	if !strings.Contains(res.summary, "report pull request #1 created") {
		t.Errorf("summary = %q", res.summary)
	}
	r.srv.Writes()

	// The same run again: nothing is written.
	res = r.step("schedule", schedule, monthlyInputs())
	if res.code != 0 || res.outputs["pull-request-operation"] != "none" || res.outputs["pull-request-number"] != "1" {
		t.Fatalf("second run: exit %d, outputs %v\n%s", res.code, res.outputs, res.stderr)
	}
	if w := r.srv.Writes(); w["POST git/commits"]+w["PATCH git/refs"]+w["POST git/refs"]+w["PATCH pulls/N"]+w["POST pulls"] != 0 {
		t.Errorf("an identical run wrote %v", w)
	}

	// A ledger change on the base: the branch is rebuilt on it and the
	// pull request updated.
	r.repo.Git("checkout", "--", ".")
	r.repo.Git("clean", "-fdq")
	r.repo.Replace("ledger/people/aiko-tanaka.yaml", "name: Aiko Tanaka", "name: Aiko Tanaka-Berg")
	base2 := r.repo.Commit("Aiko's new name")
	r.srv.ImportHead(t, r.repo.Dir, "main")
	res = r.step("schedule", schedule, monthlyInputs())
	if res.code != 0 || res.outputs["pull-request-operation"] != "updated" || res.outputs["pull-request-number"] != "1" {
		t.Fatalf("third run: exit %d, outputs %v\n%s", res.code, res.outputs, res.stderr)
	}
	if c := r.srv.Commit(r.srv.Ref("heads/tally/reports")); c.Parents[0] != base2 {
		t.Errorf("the branch is not on the new base")
	}
	if body := r.srv.Pulls()[0].Body; !strings.Contains(body, "at `"+base2[:12]+"`") {
		t.Errorf("the updated body does not name the new base:\n%s", body)
	}

	// The base takes the reports (the pull request's changes are merged
	// by other means): nothing differs, so the pull request is closed.
	r.repo.Commit("the reports")
	r.srv.ImportHead(t, r.repo.Dir, "main")
	res = r.step("schedule", schedule, monthlyInputs())
	if res.code != 0 || res.outputs["pull-request-operation"] != "closed" || res.outputs["changed"] != "false" {
		t.Fatalf("fourth run: exit %d, outputs %v\n%s", res.code, res.outputs, res.stderr)
	}
	if p := r.srv.Pulls()[0]; p.State != "closed" {
		t.Errorf("the pull request is %s", p.State)
	}
	res = r.step("schedule", schedule, monthlyInputs())
	if res.code != 0 || res.outputs["pull-request-operation"] != "none" || res.outputs["pull-request-number"] != "" {
		t.Fatalf("fifth run: exit %d, outputs %v", res.code, res.outputs)
	}
	if ing.calls != 5 {
		t.Errorf("ingested %d times, want 5", ing.calls)
	}
}

// TestActionMonthlyOwnRepository: when the monthly run ingests the
// repository its report pull request lives in, that pull request (a bot's,
// updated by every run) moves no watermark, so a run from a fresh
// checkout with nothing new publishes nothing.
func TestActionMonthlyOwnRepository(t *testing.T) {
	r := newRunner(t)
	r.ingest = sourcesIngester{now: func() time.Time { return r.now }}
	r.srv.Clock = githubtest.NewClock(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
	r.srv.Merge(r.srv.AddPull("aikotanaka", "faster-funnels", "main"))
	r.srv.Merge(r.srv.AddPull("dependabot[bot]", "dependabot/go/yaml", "main"))
	schedule := map[string]any{"schedule": "17 5 1 * *"}
	inputs := map[string]string{"command": "monthly", "repositories": "lumen/program"}
	res := r.step("schedule", schedule, inputs)
	if res.code != 0 || res.outputs["pull-request-operation"] != "created" {
		t.Fatalf("first run: exit %d, outputs %v\n%s", res.code, res.outputs, res.stderr)
	}
	files := r.srv.Files(r.srv.Ref("heads/tally/reports"))
	if !strings.Contains(files["ledger/credits/2026/10/github.yaml"], "- id: github:lumen/program#1\n") ||
		!strings.Contains(files["ledger/sources/github.yaml"], "  lumen/program:\n    pull_requests: 2026-10-20T09:01:00Z\n") {
		t.Fatalf("the report commit:\n%s\n%s", files["ledger/credits/2026/10/github.yaml"], files["ledger/sources/github.yaml"])
	}
	for run := 2; run <= 3; run++ {
		r.repo.Git("checkout", "--", ".")
		r.repo.Git("clean", "-fdq")
		res = r.step("schedule", schedule, inputs)
		if res.code != 0 || res.outputs["pull-request-operation"] != "none" || res.outputs["pull-request-number"] != "3" {
			t.Fatalf("run %d from a fresh checkout: exit %d, outputs %v\n%s", run, res.code, res.outputs, res.stderr)
		}
	}
}

// TestActionReportClock: the Action's default month is the latest that has
// ended by the command line's clock, not by the machine's.
func TestActionReportClock(t *testing.T) {
	r := newRunner(t)
	r.now = time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)
	res := r.step("workflow_dispatch", map[string]any{}, map[string]string{"command": "report"})
	if res.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if got := r.repo.Read("reports/partners.json"); !strings.Contains(got, `"as_of": "2026-09"`) {
		t.Errorf("reports/partners.json is not as of September 2026:\n%.200s", got)
	}
}

// TestActionMasksSecrets: every source's secret in the environment is
// masked before anything is logged.
func TestActionMasksSecrets(t *testing.T) {
	r := newRunner(t)
	r.env = map[string]string{"TALLY_DISCOURSE_API_KEY": "d1sc-s3cret", "TALLY_STACKEXCHANGE_KEY": "se-s3cret"}
	res := r.step("workflow_dispatch", map[string]any{}, map[string]string{"command": "report"})
	if res.code != 0 || !strings.HasPrefix(res.stdout, "::add-mask::ghs_secret\n::add-mask::d1sc-s3cret\n::add-mask::se-s3cret\n") {
		t.Errorf("exit %d\n%.300s", res.code, res.stdout)
	}
}

func TestActionMonthlyWithoutIngestion(t *testing.T) {
	r := newRunner(t)
	res := r.step("workflow_dispatch", map[string]any{}, monthlyInputs())
	if res.code != 1 || !strings.Contains(res.stdout, "::error title=tally::ingest is not available in this build") {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	// Without repositories there is nothing to ingest: report and publish.
	res = r.step("workflow_dispatch", map[string]any{}, map[string]string{"command": "monthly"})
	if res.code != 0 || res.outputs["pull-request-operation"] != "none" || res.outputs["changed"] != "false" {
		t.Fatalf("exit %d, outputs %v\n%s", res.code, res.outputs, res.stderr)
	}
}

// pullRequest opens a pull request from branch pr of the runner's
// repository (checked out, as actions/checkout leaves it) into main.
func (r *runner) pullRequest(author string, change func(repo *gittest.Repo)) (number int, event map[string]any) {
	r.t.Helper()
	return r.pullRequestFrom("lumen/program", "pr", author, change)
}

// pullRequestFrom opens a pull request from a branch of a repository (a
// fork when it is not lumen/program).
func (r *runner) pullRequestFrom(headRepo, branch, author string, change func(repo *gittest.Repo)) (number int, event map[string]any) {
	r.t.Helper()
	base := r.repo.Git("rev-parse", "main")
	r.repo.Git("checkout", "-q", "-b", branch)
	change(r.repo)
	head := r.repo.Commit("the change")
	number = r.srv.AddPull(author, branch, "main")
	r.srv.Push(number, head)
	return number, map[string]any{
		"action": "opened",
		"pull_request": map[string]any{
			"number": number, "user": map[string]any{"login": author},
			"head": map[string]any{"ref": branch, "sha": head, "repo": map[string]any{"full_name": headRepo}},
			"base": map[string]any{"ref": "main", "sha": base, "repo": map[string]any{"full_name": "lumen/program"}},
		},
	}
}

const talkClaim = `who: github:felixbraun
date: 2026-10-12
evidence: https://meetup.example/lumen-berlin/2026-10
title: Lumen at the Berlin analytics meetup
`

func addTalk(repo *gittest.Repo) { repo.Write("ledger/claims/talk/2026/berlin-meetup.yaml", talkClaim) }

func TestActionCheckClaim(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("FelixBraun", addTalk)

	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || res.outputs["findings"] != "1" {
		t.Fatalf("unreviewed claim: exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
	wantMissing := "needs an approving review from a lead of the community area who is not the claimant: @aikotanaka, @cmendes"
	if !strings.Contains(res.stdout, "::error title=claim-review,file=ledger/claims/talk/2026/berlin-meetup.yaml,line=1,col=1::"+wantMissing) {
		t.Errorf("no annotation on the claim:\n%s", res.stdout)
	}
	for _, want := range []string{"cannot merge yet", "### What is missing (1)", wantMissing, "Judged by the base branch's program.yaml.", "### Tally: `"} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, res.summary)
		}
	}

	// A comment, or an approval from a lead of another area, is not enough.
	r.srv.AddReview(n, "aikotanaka", "COMMENTED")
	r.srv.AddReview(n, "leamartin", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 1 {
		t.Fatalf("a comment passed the check:\n%s", res.summary)
	}

	// The community lead approves: the check passes.
	r.srv.AddReview(n, "AikoTanaka", "APPROVED")
	res = r.step("pull_request_review", ev, map[string]string{"command": "check"})
	if res.code != 0 || res.outputs["findings"] != "0" || !strings.Contains(res.summary, "may merge") {
		t.Fatalf("approved claim: exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.summary)
	}
	// The summary shows what the claim moves.
	if !strings.Contains(res.summary, "2026-10") || !strings.Contains(res.summary, "claim:talk/2026/berlin-meetup") {
		t.Errorf("the summary does not show the diff:\n%s", res.summary)
	}
}

func TestActionCheckClaimForSomeoneElse(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mallory", addTalk)
	r.srv.AddReview(n, "cmendes", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	want := "this claim is for github:felixbraun (@felixbraun), but the pull request is by @mallory, who is neither the claimant nor a lead of the community area"
	if res.code != 1 || !strings.Contains(res.summary, want) || res.outputs["findings"] != "1" {
		t.Fatalf("exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
}

func TestActionCheckLeadClaimsForThemselves(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("aikotanaka", func(repo *gittest.Repo) {
		repo.Write("ledger/claims/talk/2026/berlin-meetup.yaml", strings.Replace(talkClaim, "github:felixbraun", "aiko-tanaka", 1))
	})
	r.srv.AddReview(n, "aikotanaka", "APPROVED") // their own approval does not count
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.summary, "who is not the claimant: @cmendes") {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
	r.srv.AddReview(n, "cmendes", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
}

// A pull request that adds a kind and a claim of it is judged by the base
// branch's rules, which do not have the kind; and the rule change itself
// needs the leadership.
func TestActionCheckRulesChangeJudgedByBase(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("felixbraun", func(repo *gittest.Repo) {
		repo.Replace("ledger/program.yaml", "      translation:          {weight: 2, area: docs}\n", "      translation:          {weight: 2, area: docs}\n      hackathon:            {weight: 9, area: community}\n")
		repo.Write("ledger/claims/hackathon/2026/berlin.yaml", strings.Replace(talkClaim, "Lumen at the Berlin analytics meetup", "Berlin hackathon", 1))
	})
	r.srv.AddReview(n, "aikotanaka", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
	for _, want := range []string{
		"`ledger/claims/hackathon/2026/berlin.yaml:1:1` claims/hackathon/ is not a kind of the scoring period from 2026-09-01",
		"`ledger/program.yaml` a change to program.yaml needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]",
		"this pull request changes it: the new rules apply once it is merged",
	} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, res.summary)
		}
	}
	// The leadership approves the rules; the claim still waits for them.
	r.srv.AddReview(n, "mayaokafor", "APPROVED")
	res = r.step("pull_request_review", ev, map[string]string{"command": "check"})
	if res.code != 1 || strings.Contains(res.summary, "rules-review") || !strings.Contains(res.summary, "[claim-kind]") || res.outputs["findings"] != "1" {
		t.Fatalf("exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
}

func TestActionCheckDecision(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mayaokafor", func(repo *gittest.Repo) {
		p := "ledger/applications/ipe-labs/2026-10-19.yaml"
		repo.Write(p, repo.Read(p)+"decision: {outcome: approved, date: 2026-10-28, by: [jonas-weber, priya-raman]}\n")
	})
	r.srv.AddReview(n, "jweber", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.summary, "priya-raman is named in decision.by and must approve the pull request: @priyaraman [decision-review]") ||
		strings.Contains(res.summary, "jonas-weber is named") {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
	r.srv.AddReview(n, "priyaraman", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
}

func TestActionCheckGeneratedReports(t *testing.T) {
	r := newRunner(t)
	_, ev := r.pullRequest("felixbraun", func(repo *gittest.Repo) {
		repo.Replace("reports/monthly/2026-10.md", "Oliver Brennan", "Felix Braun")
	})
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.stdout, "::error title=generated,file=reports/monthly/2026-10.md::reports are generated: a pull request may not edit them") {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
}

func TestActionCheckInvalidLedger(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("felixbraun", func(repo *gittest.Repo) {
		repo.Write("ledger/claims/talk/2026/berlin-meetup.yaml", strings.Replace(talkClaim, "evidence:", "evidense:", 1))
	})
	r.srv.AddReview(n, "aikotanaka", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.stdout, "::error title=schema,file=ledger/claims/talk/2026/berlin-meetup.yaml,line=3,col=1::") ||
		!strings.Contains(res.summary, "### Findings") {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.summary)
	}
}

func TestActionCheckWrongEvent(t *testing.T) {
	r := newRunner(t)
	res := r.step("push", map[string]any{}, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.stdout, "command check runs on pull_request and pull_request_review events, not \"push\"") {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
}

// reportPullRequest runs the monthly run, which opens its pull request,
// and checks out the pull request's head as the check's checkout does. It
// returns the pull_request event of the publication.
func (r *runner) reportPullRequest() map[string]any {
	t := r.t
	t.Helper()
	r.ingest = &shardIngester{api: r.srv.URL}
	if res := r.step("schedule", map[string]any{"schedule": "17 5 1 * *"}, monthlyInputs()); res.code != 0 {
		t.Fatalf("the monthly run: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	head := r.srv.Ref("heads/tally/reports")
	r.repo.Git("checkout", "-q", "--", ".")
	r.repo.Git("clean", "-fdq")
	r.srv.Fetch(t, r.repo.Dir, head)
	r.repo.Git("checkout", "-q", "--detach", head)
	pull := r.srv.Pulls()[0]
	return map[string]any{
		"action": "opened",
		"pull_request": map[string]any{
			"number": pull.Number, "user": map[string]any{"login": pull.Author},
			"head": map[string]any{"ref": pull.Head, "sha": head, "repo": map[string]any{"full_name": "lumen/program"}},
			"base": map[string]any{"ref": "main", "sha": r.repo.Git("rev-parse", "main"), "repo": map[string]any{"full_name": "lumen/program"}},
		},
	}
}

// pushTo pushes the commit checked out to branch of the pull request of
// event, as someone with push access does, and moves the event to it.
func (r *runner) pushTo(branch string, event map[string]any) {
	r.t.Helper()
	head := r.srv.ImportHead(r.t, r.repo.Dir, branch)
	event["action"] = "synchronize"
	event["pull_request"].(map[string]any)["head"].(map[string]any)["sha"] = head
}

const forgedCredit = `credits:
  - id: github:lumen/lumen#9999
    who: github:mallory
    kind: release
    date: 2026-10-30
    url: https://github.com/lumen/lumen/releases/tag/v9
    title: A release no one made
    project: lumen/lumen
`

// The monthly run's own pull request changes credit shards and reports
// without review: it holds one commit, which GitHub signed for the bot that
// published it and which that bot marked as its publication. Anyone who
// may push to the branch can add to it or replace it, and name the bot as
// the author: then it is judged as any pull request. A fork's branch of
// the same name is not the run's either.
func TestActionCheckReportPullRequest(t *testing.T) {
	wantUntrusted := func(t *testing.T, res stepResult, why string) {
		t.Helper()
		for _, want := range []string{
			"Pull request #1 comes from tally/reports but does not hold what the monthly run published: " + why + ". It is judged as any pull request.",
			"`ledger/credits/2026/10/forged.yaml` a change to credits/2026/10/forged.yaml (written by ingestion and imports) needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]",
			"`reports/monthly/2026-10.md` reports are generated",
		} {
			if !strings.Contains(res.summary, want) {
				t.Errorf("the summary lacks %q:\n%s", want, res.summary)
			}
		}
		if res.code != 1 || !strings.Contains(res.stdout, "::warning title=tally::Pull request #1 comes from tally/reports but does not hold") {
			t.Fatalf("exit %d\n%s", res.code, res.stdout)
		}
	}
	// With the workflow token, the head checked out; with an App's, the
	// merge commit actions/checkout makes of a pull request.
	for _, bot := range []string{"github-actions[bot]", "lumen-tally[bot]"} {
		t.Run("published with the token of "+bot, func(t *testing.T) {
			r := newRunner(t)
			r.srv.Bot = bot
			ev := r.reportPullRequest()
			if bot != "github-actions[bot]" {
				head := r.repo.Git("rev-parse", "HEAD")
				r.repo.Git("checkout", "-q", "--detach", "main")
				r.repo.Git("merge", "-q", "--no-ff", "-m", "Merge tally/reports into main", head)
			}
			if res := r.step("pull_request", ev, map[string]string{"command": "check"}); res.code != 0 || res.outputs["findings"] != "0" {
				t.Fatalf("the report pull request: exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
			}
		})
	}
	t.Run("a commit pushed on top", func(t *testing.T) {
		r := newRunner(t)
		ev := r.reportPullRequest()
		r.repo.Write("ledger/credits/2026/10/forged.yaml", forgedCredit)
		r.repo.Commit("One more credit")
		r.pushTo("tally/reports", ev)
		wantUntrusted(t, r.step("pull_request", ev, map[string]string{"command": "check"}), "it holds more than the one commit tally publishes")
	})
	t.Run("one commit in the bot's name", func(t *testing.T) {
		r := newRunner(t)
		ev := r.reportPullRequest()
		r.repo.Write("ledger/credits/2026/10/forged.yaml", forgedCredit)
		r.repo.Git("add", "-A")
		r.repo.Git("-c", "user.name=GitHub", "-c", "user.email=noreply@github.com", "commit", "-q", "--amend", "-m", "Reports to 2026-10",
			"--author", "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>")
		r.pushTo("tally/reports", ev)
		head := ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"].(string)
		if c := r.srv.Commit(head); c.Author != "github-actions[bot]" || c.Committer != "web-flow" || len(c.Parents) != 1 {
			t.Fatalf("the forged commit = %+v", c)
		}
		wantUntrusted(t, r.step("pull_request", ev, map[string]string{"command": "check"}), "commit "+head+" is not signed by GitHub")
	})
	t.Run("a work tree that is not the head", func(t *testing.T) {
		r := newRunner(t)
		ev := r.reportPullRequest()
		r.repo.Write("ledger/credits/2026/10/forged.yaml", forgedCredit)
		r.repo.Commit("Not pushed")
		head := ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"].(string)
		wantUntrusted(t, r.step("pull_request", ev, map[string]string{"command": "check"}), "the work tree is neither its head "+head+" nor a merge of it")
	})
	t.Run("fork", func(t *testing.T) {
		r := newRunner(t)
		_, ev := r.pullRequestFrom("mallory/program", "tally/reports", "mallory-app[bot]", func(repo *gittest.Repo) {
			repo.Write("ledger/credits/2026/10/forged.yaml", forgedCredit)
			repo.Write("reports/monthly/2026-10.md", repo.Read("reports/monthly/2026-10.md")+"\n")
		})
		res := r.step("pull_request", ev, map[string]string{"command": "check"})
		if res.code != 1 || res.outputs["findings"] != "2" ||
			!strings.Contains(res.summary, "`ledger/credits/2026/10/forged.yaml` a change to credits/2026/10/forged.yaml (written by ingestion and imports) needs an approving review from the leadership") ||
			!strings.Contains(res.summary, "`reports/monthly/2026-10.md` reports are generated") {
			t.Fatalf("a fork's tally/reports: exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
		}
	})
}

// Who a person is, whom they work for and their conduct record decide whose
// review counts and who is eligible: changing them needs the leadership,
// whoever opens the pull request.
func TestActionCheckPeopleOrganizationsConduct(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mallory", func(repo *gittest.Repo) {
		repo.Replace("ledger/people/aiko-tanaka.yaml", "github: aikotanaka", "github: mallory")
		repo.Write("ledger/conduct/2026/ipe-labs-october.yaml", "date: 2026-10-20\norg: ipe-labs\noutcome: sanction\nnote: Invented.\n")
		repo.Replace("ledger/organizations/ipe-labs.yaml", "country: BR", "country: PT")
	})
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	for _, want := range []string{
		"`ledger/people/aiko-tanaka.yaml` a change to people/aiko-tanaka.yaml (identities decide who a reviewer is) needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]",
		"`ledger/conduct/2026/ipe-labs-october.yaml` a change to conduct/2026/ipe-labs-october.yaml (organisations and conduct decide eligibility) needs an approving review from the leadership",
		"`ledger/organizations/ipe-labs.yaml` a change to organizations/ipe-labs.yaml (organisations and conduct decide eligibility) needs an approving review from the leadership",
	} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, res.summary)
		}
	}
	if res.code != 1 || res.outputs["findings"] != "3" {
		t.Fatalf("exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
	// A team lead's approval is not the leadership's.
	r.srv.AddReview(n, "aikotanaka", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 1 || res.outputs["findings"] != "3" {
		t.Fatalf("a team lead's approval: exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
	r.srv.AddReview(n, "priyaraman", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("the leadership approved: exit %d\n%s", res.code, res.summary)
	}
}

// An approval is of the commit it was given on: a push after it needs a
// new one.
func TestActionCheckStaleApproval(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("felixbraun", addTalk)
	r.srv.AddReview(n, "aikotanaka", "APPROVED")
	if res := r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("approved claim: exit %d\n%s", res.code, res.summary)
	}
	// The author pushes a different claim.
	r.repo.Replace("ledger/claims/talk/2026/berlin-meetup.yaml", "date: 2026-10-12", "date: 2026-10-13")
	head := r.repo.Commit("another date")
	r.srv.Push(n, head)
	ev["action"] = "synchronize"
	ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"] = head
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.summary, "needs an approving review from a lead of the community area who is not the claimant") {
		t.Fatalf("the approval of the earlier commit passed: exit %d\n%s", res.code, res.summary)
	}
	// An event without the head commit: the pull request says which it is.
	delete(ev["pull_request"].(map[string]any)["head"].(map[string]any), "sha")
	if res = r.step("pull_request", ev, map[string]string{"command": "check"}); res.code != 1 || res.outputs["findings"] != "1" {
		t.Fatalf("without the event's head: exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.summary)
	}
	r.srv.AddReview(n, "aikotanaka", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("approved again: exit %d\n%s", res.code, res.summary)
	}
}

// A lead who opens a claim for someone else approves it by opening it: in
// an area with one lead, no one else could.
func TestActionCheckLeadOpensClaimForSomeoneElse(t *testing.T) {
	r := newRunner(t)
	r.repo.Replace("ledger/program.yaml", "community: [aiko-tanaka, carlos-mendes]", "community: [aiko-tanaka]")
	r.repo.Commit("one community lead")
	r.srv.ImportHead(t, r.repo.Dir, "main")
	_, ev := r.pullRequest("AikoTanaka", addTalk)
	if res := r.step("pull_request", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("the lead's pull request: exit %d\n%s", res.code, res.summary)
	}
	// Opening their own claim approves nothing.
	r.repo.Git("checkout", "-q", "main")
	_, ev = r.pullRequestFrom("lumen/program", "own", "aikotanaka", func(repo *gittest.Repo) {
		repo.Write("ledger/claims/talk/2026/own.yaml", strings.Replace(talkClaim, "github:felixbraun", "aiko-tanaka", 1))
	})
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || !strings.Contains(res.summary, "needs an approving review from a lead of the community area who is not the claimant; none has a GitHub identity") {
		t.Fatalf("a lead's own claim: exit %d\n%s", res.code, res.summary)
	}
}

// What the base branch took after the event's base.sha is not the pull
// request's change: the check compares with the base as the checked-out
// merge commit has it, or with where the pull request's branch left it.
func TestActionCheckMovedBase(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) (*runner, map[string]any, string) {
		r := newRunner(t)
		n, ev := r.pullRequest("felixbraun", addTalk)
		r.srv.AddReview(n, "aikotanaka", "APPROVED")
		r.repo.Git("checkout", "-q", "main")
		r.repo.Replace("ledger/people/aiko-tanaka.yaml", "name: Aiko Tanaka", "name: Aiko Tanaka-Berg")
		moved := r.repo.Commit("Aiko's new name, reviewed elsewhere")
		return r, ev, moved
	}
	t.Run("merge commit, event base before the move", func(t *testing.T) {
		r, ev, _ := setup(t)
		// As actions/checkout checks out refs/pull/N/merge.
		r.repo.Git("checkout", "-q", "--detach", "main")
		r.repo.Git("merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr")
		res := r.step("pull_request_review", ev, map[string]string{"command": "check"})
		if res.code != 0 || strings.Contains(res.summary, "people/aiko-tanaka.yaml") {
			t.Fatalf("exit %d\n%s", res.code, res.summary)
		}
	})
	t.Run("head checked out, event base after the move", func(t *testing.T) {
		r, ev, moved := setup(t)
		ev["pull_request"].(map[string]any)["base"].(map[string]any)["sha"] = moved
		r.repo.Git("checkout", "-q", "pr")
		res := r.step("pull_request", ev, map[string]string{"command": "check"})
		if res.code != 0 || strings.Contains(res.summary, "people/aiko-tanaka.yaml") {
			t.Fatalf("exit %d\n%s", res.code, res.summary)
		}
	})
}

// The base branch moved while the monthly run worked: it publishes nothing
// and says why.
func TestActionMonthlyBaseMoved(t *testing.T) {
	r := newRunner(t)
	r.ingest = &shardIngester{api: r.srv.URL}
	r.srv.SetRef("heads/main", "0123456789abcdef0123456789abcdef01234567")
	r.srv.Writes()
	res := r.step("schedule", map[string]any{"schedule": "17 5 1 * *"}, monthlyInputs())
	if res.code != 1 || !strings.Contains(res.stdout, "branch main is at 0123456789abcdef0123456789abcdef01234567, not at "+r.repo.Git("rev-parse", "HEAD")) {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if w := r.srv.Writes(); len(w) != 0 || len(r.srv.Pulls()) != 0 {
		t.Errorf("a run on a moved base wrote %v", w)
	}
	res = r.step("schedule", map[string]any{"schedule": "17 5 1 * *"}, map[string]string{"command": "monthly", "repositories": "lumen/lumen\nlumen/docs\n", "branch": "main"})
	if res.code != 1 || !strings.Contains(res.stdout, "the branch to publish from, main, is the base branch") {
		t.Fatalf("publishing onto the base: exit %d\n%s", res.code, res.stdout)
	}
}

// runnerLines splits a step's output into lines as the runner reads it:
// a line ends at \n, \r or \r\n.
func runnerLines(out string) []string { return regexp.MustCompile(`\r\n|\r|\n`).Split(out, -1) }

// The runner reads a line as a workflow command when it starts with ::
// after blanks, or holds ##[ (the older syntax). Data printed in the log,
// here YAML keys with line breaks in a pull request, must never be one:
// it could stop tally's annotations and forge others.
func TestActionCheckLogHoldsNoCommandFromData(t *testing.T) {
	r := newRunner(t)
	_, ev := r.pullRequest("felixbraun", func(repo *gittest.Repo) {
		repo.Replace("ledger/program.yaml", "      comment:              {weight: 0}\n",
			"      comment:              {weight: 0}\n"+
				"      \"x\\n::stop-commands::x\": {weight: 1, bogus: 2}\n"+
				"      \"y\\n::notice::forged\": {weight: \"z\"}\n"+
				"      \"z\\r  ##[error]forged\": {weight: 1, bogus: 2}\n")
	})
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
	own := map[string]bool{"add-mask": true, "group": true, "endgroup": true, "error": true, "warning": true}
	for _, line := range runnerLines(res.stdout + res.stderr) {
		// A command of tally's own carries data in its escaped message.
		if cmd, ok := strings.CutPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::"); ok {
			if name, _, _ := strings.Cut(cmd, "::"); !own[strings.Fields(name + " ")[0]] {
				t.Errorf("the log holds a command from data: %q", line)
			}
		} else if strings.Contains(line, "##[") {
			t.Errorf("the log holds an old-style command from data: %q", line)
		}
	}
	// The finding is still annotated, its line break escaped as the runner
	// expects in a message.
	if !strings.Contains(res.stdout, "::error title=schema,file=ledger/program.yaml,line=28,col=44::scoring[0].kinds.x%0A::stop-commands::x: unknown key \"bogus\"") {
		t.Errorf("no annotation of the finding:\n%s", res.stdout)
	}
}

// A pull request that moves the ledger and leaves a link in its place is
// still judged by the base branch's ledger at the configured path: it may
// not bring its own leadership along, and no review lets tally read a
// ledger through a link.
func TestActionCheckLedgerReplacedByLink(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mallory", func(repo *gittest.Repo) {
		repo.Git("mv", "ledger", "data")
		if err := os.Symlink("data", repo.Path("ledger")); err != nil {
			t.Fatal(err)
		}
		repo.Replace("data/program.yaml", "leadership: [maya-okafor, jonas-weber, priya-raman]", "leadership: [maya-okafor, jonas-weber, priya-raman, mallory, trudy]")
		repo.Write("data/people/mallory.yaml", "name: Mallory\nidentities: {github: mallory}\n")
		repo.Write("data/people/trudy.yaml", "name: Trudy\nidentities: {github: trudy}\n")
		repo.Write("data/credits/2026/10/manual.yaml", strings.Replace(ingestedShard, "aikotanaka", "mallory", 1))
	})
	r.srv.AddReview(n, "trudy", "APPROVED")
	r.srv.AddReview(n, "jweber", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	want := "`ledger` the ledger folder ledger is a symbolic link (to data): tally reads the ledger at its configured path only, never through a link"
	if res.code != 1 || res.outputs["findings"] != "1" || strings.Contains(res.summary, "own program.yaml") || !strings.Contains(res.summary, want) {
		t.Fatalf("exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
}

// Moving the ledger away from where the configuration looks, or removing
// it, is the base branch's leadership's decision.
func TestActionCheckLedgerMoved(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mallory", func(repo *gittest.Repo) { repo.Git("mv", "ledger", "data") })
	r.srv.AddReview(n, "trudy", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	want := "`ledger` removing the ledger folder ledger (or moving it: tally reads the ledger at its configured path only) needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]"
	if res.code != 1 || res.outputs["findings"] != "1" || !strings.Contains(res.summary, want) {
		t.Fatalf("exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.summary)
	}
	r.srv.AddReview(n, "jweber", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("the leadership approved: exit %d\n%s%s", res.code, res.stdout, res.summary)
	}
}

// A link inside the ledger is never read: program.yaml pointing at a file
// of the pull request's (one no rule reviewed, as notes were) would become
// the base's rules once merged.
func TestActionCheckLinkInsideLedger(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mallory", func(repo *gittest.Repo) {
		repo.Write("ledger/notes/2026-11.md", strings.Replace(repo.Read("ledger/program.yaml"), "leadership: [maya-okafor,", "leadership: [mallory, maya-okafor,", 1))
		repo.Remove("ledger/program.yaml")
		if err := os.Symlink("notes/2026-11.md", repo.Path("ledger/program.yaml")); err != nil {
			t.Fatal(err)
		}
	})
	r.srv.AddReview(n, "jweber", "APPROVED")
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	want := "`ledger/program.yaml:1:1` links and special files are not followed; ledger data must be regular files [symlink]"
	if res.code != 1 || !strings.Contains(res.summary, want) {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
}

// checkPullRequest checks, on a runner of its own, a pull request by
// author approved by approvers. It runs in a subtest, since the runner
// leaves the step in its workspace.
func checkPullRequest(t *testing.T, author string, change func(*gittest.Repo), approvers ...string) (res stepResult) {
	t.Helper()
	t.Run("", func(t *testing.T) {
		r := serialRunner(t)
		n, ev := r.pullRequest(author, change)
		for _, a := range approvers {
			r.srv.AddReview(n, a, "APPROVED")
		}
		res = r.step("pull_request", ev, map[string]string{"command": "check"})
	})
	return res
}

// Who may change a roadmap submission: the organisation's contact (that
// of its latest approved application on the base branch) or the
// leadership; its status is the leadership's alone.
func TestActionCheckRoadmap(t *testing.T) {
	t.Parallel()
	const file = "ledger/roadmap/2026/northwind-2.yaml"
	add := func(repo *gittest.Repo) { repo.Write(file, "submitted: 2026-10-20\ntitle: Funnel exports\n") }
	res := checkPullRequest(t, "mallory", add)
	want := "`" + file + "` a change to roadmap/2026/northwind-2.yaml (a roadmap submission of northwind, counted in its yearly quota) needs @hannahprice, the contact of its latest approved application, to open or approve the pull request, or an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [roadmap-review]"
	if res.code != 1 || res.outputs["findings"] != "1" || !strings.Contains(res.summary, want) {
		t.Errorf("another's submission: exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
	if res := checkPullRequest(t, "mallory", add, "mayaokafor"); res.code != 0 {
		t.Errorf("approved by the leadership: exit %d\n%s", res.code, res.summary)
	}
	// Someone else who works there is not its contact.
	if res := checkPullRequest(t, "mallory", add, "obrennan"); res.code != 1 {
		t.Errorf("approved by someone else of northwind: exit %d\n%s", res.code, res.summary)
	}
	if res := checkPullRequest(t, "mallory", add, "hannahprice"); res.code != 0 {
		t.Errorf("approved by the contact: exit %d\n%s", res.code, res.summary)
	}
	if res := checkPullRequest(t, "HannahPrice", add); res.code != 0 {
		t.Errorf("opened by the contact: exit %d\n%s", res.code, res.summary)
	}
	if res := checkPullRequest(t, "mallory", func(repo *gittest.Repo) { repo.Remove("ledger/roadmap/2026/northwind-1.yaml") }); res.code != 1 ||
		!strings.Contains(res.summary, "roadmap/2026/northwind-1.yaml (a roadmap submission of northwind, counted in its yearly quota) needs @hannahprice") {
		t.Errorf("another's submission removed: exit %d\n%s%s", res.code, res.stdout, res.summary)
	}
	// The contact accepts their own submission, or removes an accepted one.
	res = checkPullRequest(t, "hannahprice", func(repo *gittest.Repo) {
		repo.Replace("ledger/roadmap/2026/northwind-1.yaml", "status: submitted", "status: accepted")
	})
	if res.code != 1 || !strings.Contains(res.summary, "a change to the status of roadmap/2026/northwind-1.yaml (the project's answer to the submission) needs an approving review from the leadership") {
		t.Errorf("status: exit %d\n%s", res.code, res.summary)
	}
	res = checkPullRequest(t, "arjunnair", func(repo *gittest.Repo) { repo.Remove("ledger/roadmap/2025/saffron-stack-1.yaml") })
	if res.code != 1 || !strings.Contains(res.summary, "a change to the status of roadmap/2025/saffron-stack-1.yaml") {
		t.Errorf("an accepted submission removed: exit %d\n%s", res.code, res.summary)
	}
}

// Notes go into the reports as written, and a file no rule knows (here
// one the loader skips, as its name starts with a dot) is the
// leadership's too.
func TestActionCheckNotesAndOtherFiles(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("mallory", func(repo *gittest.Repo) {
		repo.Write("ledger/notes/2026-10.md", "Mallory did everything.\n")
		repo.Write("ledger/people/.mallory.yaml", "name: Mallory\n")
	})
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	for _, want := range []string{
		"`ledger/notes/2026-10.md` a change to notes/2026-10.md (notes go into the reports as written) needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]",
		"`ledger/people/.mallory.yaml` a change to people/.mallory.yaml, which no other rule covers, needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]",
	} {
		if !strings.Contains(res.summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, res.summary)
		}
	}
	if res.code != 1 || res.outputs["findings"] != "2" {
		t.Fatalf("exit %d, outputs %v\n%s", res.code, res.outputs, res.summary)
	}
	r.srv.AddReview(n, "priyaraman", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("the leadership approved: exit %d\n%s", res.code, res.summary)
	}
}

// Any change to a decision is the leadership's, removing it as much as
// adding it; so is the contact of a decided application, who speaks for
// the organisation.
func TestActionCheckDecisionChanged(t *testing.T) {
	t.Parallel()
	const app = "ledger/applications/redwood-metrics/2025-02-03.yaml"
	removed := func(repo *gittest.Repo) {
		s := repo.Read(app)
		repo.Write(app, s[:strings.Index(s, "decision:")])
	}
	res := checkPullRequest(t, "ethancole", removed)
	if res.code != 1 || res.outputs["findings"] != "1" ||
		!strings.Contains(res.summary, "`"+app+"` removing an application's decision needs an approving review from the leadership: @jweber, @mayaokafor, @priyaraman [rules-review]") {
		t.Errorf("decision removed: exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.summary)
	}
	if res := checkPullRequest(t, "ethancole", removed, "jweber"); res.code != 0 {
		t.Errorf("decision removed with the leadership's approval: exit %d\n%s", res.code, res.summary)
	}
	for _, edit := range [][2]string{
		{"payments at the US\n    minimum.", "payments above the US\n    minimum."},
		{"outcome: approved", "outcome: rejected"},
	} {
		res := checkPullRequest(t, "ethancole", func(repo *gittest.Repo) { repo.Replace(app, edit[0], edit[1]) })
		if res.code != 1 || !strings.Contains(res.summary, "maya-okafor is named in decision.by and must approve the pull request") ||
			!strings.Contains(res.summary, "priya-raman is named in decision.by") {
			t.Errorf("%q edited: exit %d\n%s", edit[0], res.code, res.summary)
		}
	}
	res = checkPullRequest(t, "ethancole", func(repo *gittest.Repo) { repo.Replace(app, "contact: github:ethancole", "contact: github:mallory") })
	if res.code != 1 || !strings.Contains(res.summary, "a change to the contact of a decided application needs an approving review from the leadership") {
		t.Errorf("contact changed: exit %d\n%s", res.code, res.summary)
	}
}
