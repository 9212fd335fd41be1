package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// diffRepo is a copy of the bundled ledger and its reports, committed,
// for a test that runs in parallel with others.
func diffRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	t.Parallel()
	return program.Copy(t)
}

// TestDiffGolden runs tally diff on a change to the bundled ledger and
// compares its Markdown with testdata/diff/<case>.md, the base commit
// written as BASE. Run with -update to rewrite them.
func TestDiffGolden(t *testing.T) {
	for name, change := range map[string]func(r *gittest.Repo){
		// A credit added to September's forum answers.
		"credit-added": func(r *gittest.Repo) {
			shard := "ledger/credits/2026/09/discourse.yaml"
			r.Write(shard, r.Read(shard)+`  - id: discourse:post/99999
    who: discourse:camille
    kind: forum_solution
    date: 2026-09-20
    url: https://forum.lumen.example/t/x/1/1
    title: A new answer
`)
		},
		// Camille joins Kieselstein two weeks later.
		"affiliation-edited": func(r *gittest.Repo) {
			r.Replace("ledger/people/camille-roux.yaml", "until: 2026-07-15}\n  - {org: kieselstein, from: 2026-07-15}", "until: 2026-08-01}\n  - {org: kieselstein, from: 2026-08-01}")
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := diffRepo(t)
			base := r.Git("rev-parse", "--short=7", "HEAD")
			change(r)
			out, errOut, code := run(t, "diff", "HEAD", "--ledger", r.Path("ledger"))
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got := strings.ReplaceAll(out, base, "BASE")
			file := filepath.Join("testdata", "diff", name+".md")
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\n--- got\n%s--- want\n%s", file, got, want)
			}
		})
	}
}

func TestDiffJSON(t *testing.T) {
	r := diffRepo(t)
	base := r.Git("rev-parse", "HEAD")
	r.Replace("ledger/credits/2026/10/github.yaml", "    who: github:noahfischer\n    kind: issue", "    who: github:noahfischer\n    kind: review")
	head := r.Commit("an issue was a review")
	out, errOut, code := run(t, "diff", "HEAD~1", "HEAD", "--format", "json", "--ledger", r.Path("ledger"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Base, Head string
		Partial    bool
		Periods    []struct {
			Period string
			People []struct {
				ID, Name string
				Score    struct{ Before, After int }
				Rank     struct{ Before, After *int }
			}
		}
		Changes []struct {
			Path, Record, ID, Change string
			Fields                   []struct{ Field, Before, After string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Base != base || got.Head != head || !got.Partial {
		t.Errorf("base %s, head %s, partial %v; want %s, %s, true", got.Base, got.Head, got.Partial, base, head)
	}
	if len(got.Periods) == 0 || got.Periods[0].Period != "2026-10" {
		t.Fatalf("periods %+v, want October first", got.Periods)
	}
	found := false
	for _, p := range got.Periods[0].People {
		if p.ID == "noah-fischer" {
			found = true
			if p.Score.After-p.Score.Before != 1 || p.Rank.Before == nil || p.Rank.After == nil {
				t.Errorf("Noah moves as %+v, want 1 point more (in lumen/helm-chart, which counts half since September 2026, an issue weighs 1, a review 2)", p)
			}
		}
	}
	if !found {
		t.Errorf("Noah does not move: %+v", got.Periods[0].People)
	}
	if len(got.Changes) != 1 || got.Changes[0].Change != "edited" || len(got.Changes[0].Fields) != 1 ||
		got.Changes[0].Fields[0] != (struct{ Field, Before, After string }{"kind", "issue", "review"}) {
		t.Errorf("changes %+v, want the credit's kind edited from issue to review", got.Changes)
	}
}

func TestDiffNoChange(t *testing.T) {
	r := diffRepo(t)
	out, errOut, code := run(t, "diff", "HEAD", "--ledger", r.Path("ledger"))
	if code != 0 || !strings.Contains(out, "No ledger file changes.") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 0 and no changes", code, out, errOut)
	}
	out, _, code = run(t, "diff", "HEAD", "--format", "json", "--ledger", r.Path("ledger"))
	if code != 0 || !strings.Contains(out, `"periods": []`) || !strings.Contains(out, `"changes": []`) {
		t.Errorf("exit %d, JSON %s", code, out)
	}
}

func TestDiffErrors(t *testing.T) {
	r := diffRepo(t)
	outside := t.TempDir()
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"diff", "no-such-branch", "--ledger", r.Path("ledger")}, `unknown revision "no-such-branch"`},
		{[]string{"diff", "HEAD", "HEAD~3", "--ledger", r.Path("ledger")}, `unknown revision "HEAD~3"`},
		{[]string{"diff", "HEAD", "--ledger", outside}, outside + " is not in a git repository"},
		{[]string{"diff", "HEAD", "--ledger", filepath.Join(outside, "nowhere")}, "no such file or directory"},
		{[]string{"diff", "HEAD", "--format", "html", "--ledger", r.Path("ledger")}, `"html" is not md or json`},
		{[]string{"diff", "--ledger", r.Path("ledger")}, "accepts between 1 and 2 arg(s)"},
	} {
		out, errOut, code := run(t, c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.msg)
		}
	}
}
