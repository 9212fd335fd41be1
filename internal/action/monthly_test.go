package action

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

func partnersJSON(standings ...string) string {
	var ps, orgs []string
	for i, s := range standings {
		if s == "" {
			continue
		}
		ps = append(ps, fmt.Sprintf(`{"id":"org-%d","rank":%d,"featured":false,"since":"2025-01-01","standing":%q}`, i, i+1, s))
		orgs = append(orgs, fmt.Sprintf(`{"id":"org-%d","eligible":true}`, i))
	}
	orgs = append(orgs, `{"id":"newcomer","eligible":true}`)
	return `{"as_of":"2026-10","partners":[` + strings.Join(ps, ",") + `],"organizations":[` + strings.Join(orgs, ",") + `]}`
}

// fileReporter stands in for tally report: it writes fixed files.
type fileReporter map[string]string

func (f fileReporter) Report(ctx context.Context, ledgerDir, reportsDir, asOf string, stdout, stderr io.Writer) error {
	for name, content := range f {
		p := filepath.Join(reportsDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func monthlyEnv(t *testing.T, after string, allow string) (*githubtest.Server, *gittest.Repo, env, Env, *bytes.Buffer) {
	t.Helper()
	repo := gittest.New(t)
	repo.Write("ledger/program.yaml", "name: Test\n")
	// The newcomer became eligible this month.
	base := strings.Replace(partnersJSON("good", "good", "warning", "good"), `,{"id":"newcomer","eligible":true}`, "", 1)
	repo.Write("reports/partners.json", base)
	repo.Commit("start")
	srv := githubtest.New(t, "acme", "program")
	srv.ImportHead(t, repo.Dir, "main")
	e := env{
		"INPUT_COMMAND": "monthly", "INPUT_ALLOW_LARGE_CHANGES": allow, "INPUT_GITHUB_TOKEN": "tok",
		"GITHUB_WORKSPACE": repo.Dir, "GITHUB_REPOSITORY": "acme/program", "GITHUB_API_URL": srv.URL,
		"GITHUB_REF": "refs/heads/main",
	}
	rt, out := newTestRuntime(t, e)
	return srv, repo, e, Env{Runtime: rt, Report: fileReporter{
		"partners.json":        after,
		"monthly/2026-10.json": `{"period":"2026-10","people":[],"organizations":[],"alerts":[]}`,
	}}, out
}

func TestLargeChangeGuard(t *testing.T) {
	// Two of four partners lose standing: one lapses, one is gone.
	after := partnersJSON("good", "lapsed", "warning", "")
	srv, _, e, run, out := monthlyEnv(t, after, "false")
	err := Run(context.Background(), run)
	if err == nil || !strings.Contains(err.Error(), "2 partners of 4 would lose standing at once (org-1, org-3): refusing to publish") {
		t.Fatalf("err = %v", err)
	}
	if len(srv.Pulls()) != 0 || srv.Ref("heads/tally/reports") != "" {
		t.Error("published despite the guard")
	}
	if !strings.Contains(out.String(), "::error title=tally::2 partners of 4") {
		t.Errorf("no error annotation:\n%s", out)
	}
	if got := readFile(t, e["GITHUB_OUTPUT"]); !strings.Contains(got, "changed=true") {
		t.Errorf("outputs = %q", got)
	}

	srv, _, _, run, out = monthlyEnv(t, after, "true")
	if err := Run(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	if len(srv.Pulls()) != 1 || !strings.Contains(out.String(), "::warning title=tally::2 partners of 4 would lose standing at once (org-1, org-3): published because allow-large-changes is true") {
		t.Fatalf("pulls %v\n%s", srv.Pulls(), out)
	}
	body := srv.Pulls()[0].Body
	for _, want := range []string{"### New partners eligible (1)\n\n- `newcomer` meets every criterion", "### Partners at risk (2)\n\n- `org-1`: lapsed (was good)\n- `org-2`: warning\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
}

func TestLargeChangeGuardAllowsAQuarter(t *testing.T) {
	srv, _, _, run, _ := monthlyEnv(t, partnersJSON("good", "warning", "warning", "good"), "false")
	if err := Run(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	if len(srv.Pulls()) != 1 {
		t.Fatal("one partner of four losing standing was refused")
	}
}

func TestBodyStaysUnderTheLimit(t *testing.T) {
	after := &partnersFile{}
	for i := range 5000 {
		after.Organizations = append(after.Organizations, struct {
			ID       string `json:"id"`
			Eligible bool   `json:"eligible"`
		}{fmt.Sprintf("organisation-with-a-long-name-%04d", i), true})
	}
	body := prBody(bodyInput{Month: "2026-10", BaseSHA: strings.Repeat("a", 40), After: after, Reports: "reports", BlobURL: "https://github.com/o/r/blob/tally/reports/",
		Changes: []gitrev.Change{{Path: "reports/monthly/2026-10.md", Status: 'M'}, {Path: "ledger/credits/2026/10/github.yaml", Status: 'A'}}})
	if n := len([]rune(body)); n > MaxBody {
		t.Fatalf("body has %d characters", n)
	}
	for _, want := range []string{"### New partners eligible (5000)", "more: see the reports", "- [Every report](https://github.com/o/r/blob/tally/reports/reports/index.md)", "2 files changed: `ledger/credits` 1, `reports/monthly` 1."} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
}

// Names come from the ledger, which anyone may propose changes to: in the
// description they stay text, never a link, an image, HTML or a mention
// that notifies a team.
func TestBodyEscapesNames(t *testing.T) {
	hostile := []string{
		"[Click here](https://evil.example/login)",
		"![pixel](https://evil.example/track.png)",
		"@lumen/leadership",
		"<img src=x onerror=alert(1)>",
		"Pipe | in a table\nand a line break",
	}
	m := &monthlyReport{Period: "2026-10"}
	for i, name := range hostile {
		m.People = append(m.People, mover{Rank: i + 1, ID: fmt.Sprintf("p%d", i), Name: name, Score: 10, DeltaScore: 5})
		m.Alerts = append(m.Alerts, struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Previous int    `json:"previous"`
			Score    int    `json:"score"`
		}{fmt.Sprintf("org-%d", i), name, 10, 4})
	}
	body := prBody(bodyInput{Month: "2026-10", BaseSHA: strings.Repeat("a", 40), Monthly: m, Reports: "reports", BlobURL: "https://github.com/o/r/blob/tally/reports/"})
	// What is left once the escaped characters are taken out is plain text.
	unescaped := strings.NewReplacer(`\[`, "", `\]`, "", `\!`, "", `\<`, "", `\>`, "").Replace(body)
	for _, raw := range []string{"[Click", "](https://evil", "![", "<img", "@lumen/", "\nand a line break"} {
		if strings.Contains(unescaped, raw) {
			t.Errorf("the body holds %q as Markdown:\n%s", raw, body)
		}
	}
	// Each name is still there to read, once in the movers and once in the alerts.
	for _, want := range []string{`\[Click here\]`, `\!\[pixel\]`, "@&#8203;lumen/leadership", `\<img`, `Pipe \| in a table and a line break`} {
		if n := strings.Count(body, want); n != 2 {
			t.Errorf("the body holds %q %d times, want 2:\n%s", want, n, body)
		}
	}
}
