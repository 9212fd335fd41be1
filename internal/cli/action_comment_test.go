package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

const commentMarker = "<!-- tally:check -->"

// tallyComments are the comments on a pull request that tally wrote.
func tallyComments(srv *githubtest.Server, number int) []githubtest.Comment {
	var out []githubtest.Comment
	for _, c := range srv.Comments(number) {
		if strings.HasPrefix(c.Body, commentMarker) {
			out = append(out, c)
		}
	}
	return out
}

// oneComment is tally's one comment on a pull request.
func oneComment(t *testing.T, srv *githubtest.Server, number int) string {
	t.Helper()
	cs := tallyComments(srv, number)
	if len(cs) != 1 {
		t.Fatalf("pull request #%d has %d comments of tally's, want 1: %+v", number, len(cs), cs)
	}
	if cs[0].Author != "github-actions[bot]" {
		t.Errorf("the comment is by %s", cs[0].Author)
	}
	return cs[0].Body
}

func wantIn(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// The check keeps one comment on the pull request: who the claim credits,
// what it moves and whose review it needs, by handle but mentioning no
// one; it asks for those reviews once; re-runs edit the comment; and when
// the pull request no longer changes the ledger, the comment goes.
func TestActionCheckComment(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequest("FelixBraun", addTalk)
	r.srv.AddComment(n, "felixbraun", "Here is my talk.")
	head := ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"].(string)

	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	body := oneComment(t, r.srv, n)
	wantIn(t, "the comment", body,
		"## Tally: pull request #1 cannot merge yet",
		"[`ledger/claims/talk/2026/berlin-meetup.yaml`](https://github.example/lumen/program/blob/"+head+"/ledger/claims/talk/2026/berlin-meetup.yaml) adds a claim that credits **Felix Braun** (`github:felixbraun`) for “Lumen at the Berlin analytics meetup”: weight 5 in the community area, for Kieselstein Software GmbH.",
		"- **Needs**: needs an approving review from a lead of the community area who is not the claimant: @&#8203;aikotanaka, @&#8203;cmendes `[claim-review]`",
		"| Felix Braun | 31 → 36 (+5) | 13 → 14 | 3 → 2 (↑1) |",
	)
	if !strings.HasPrefix(body, commentMarker+"\n") {
		t.Errorf("the comment does not start with its marker:\n%.80s", body)
	}
	if asked := r.srv.Asked(n); !slices.Equal(asked, []string{"aikotanaka", "cmendes"}) {
		t.Errorf("asked %v to review, want the community leads", asked)
	}

	// A comment of a lead's, then a re-run: the same one comment, and no
	// one asked twice.
	r.srv.AddReview(n, "aikotanaka", "COMMENTED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 1 {
		t.Fatalf("re-run: exit %d", res.code)
	}
	oneComment(t, r.srv, n)
	if asked := r.srv.Asked(n); len(asked) != 2 {
		t.Errorf("a re-run asked again: %v", asked)
	}

	// Approved: the comment says so, edited in place.
	r.srv.AddReview(n, "aikotanaka", "APPROVED")
	if res = r.step("pull_request_review", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("approved: exit %d\n%s", res.code, res.summary)
	}
	wantIn(t, "the approved comment", oneComment(t, r.srv, n), "## Tally: pull request #1 may merge", "It has the review it needs.")
	if len(r.srv.Asked(n)) != 2 {
		t.Errorf("asked %v", r.srv.Asked(n))
	}

	// The pull request takes its claim back: nothing in the ledger changes,
	// and tally's comment goes; the author's stays.
	r.repo.Remove("ledger/claims/talk/2026/berlin-meetup.yaml")
	head = r.repo.Commit("no claim after all")
	r.srv.Push(n, head)
	ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"] = head
	if res = r.step("pull_request", ev, map[string]string{"command": "check"}); res.code != 0 {
		t.Fatalf("no ledger change: exit %d\n%s", res.code, res.summary)
	}
	if cs := r.srv.Comments(n); len(cs) != 1 || cs[0].Body != "Here is my talk." {
		t.Errorf("comments = %+v, want only the author's", cs)
	}
}

// An application's comment shows each criterion month by month, the
// organisation's score for the window, who of the leadership may decide
// (not those who work for the applicant) and whether an approval needs
// decision.override.
func TestActionCheckCommentApplication(t *testing.T) {
	r := newRunner(t)
	// Maya moves to Ipê Labs before it applies.
	r.repo.Replace("ledger/people/maya-okafor.yaml", "  - {org: northwind, from: 2023-04-01}", "  - {org: northwind, from: 2023-04-01, until: 2026-10-01}\n  - {org: ipe-labs, from: 2026-10-01}")
	r.repo.Commit("Maya joins Ipê Labs")
	r.srv.ImportHead(t, r.repo.Dir, "main")
	n, ev := r.pullRequest("beatrizsantos", func(repo *gittest.Repo) {
		repo.Write("ledger/applications/ipe-labs/2026-11-02.yaml", "submitted: 2026-11-02\ncontact: github:beatrizsantos\nstatement: Again, with November's figures.\n")
	})
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.summary)
	}
	wantIn(t, "the comment", oneComment(t, r.srv, n),
		"### Application: Ipê Labs (`ipe-labs`), submitted 2026-11-02",
		"As of 2026-10, the last complete month before today: **eligible**.",
		"| Criterion | 2026-08 | 2026-09 | 2026-10 | |",
		"| Score, at least 10 | 43 | 23 |",
		"| Paid, at least $72.72 (BR) | $74.48 | $74.48 |",
		"Score for the window (2026-08 to 2026-10): **",
		"**May decide it**: @&#8203;jweber, @&#8203;priyaraman; not maya-okafor, who works for ipe-labs on 2026-11-15.",
		"Approving it today needs no decision.override.",
		"It has the reviews it needs.",
	)
	if asked := r.srv.Asked(n); len(asked) != 0 {
		t.Errorf("an application without a decision asked %v to review", asked)
	}
}

// A pull request from a fork gets a read-only token: the check saves the
// comment, and command comment, run by a workflow_run workflow on the
// default branch, posts it, asks for the reviews, and refuses a comment
// computed for a head the pull request has left.
func TestActionCommentFromFork(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequestFrom("felixbraun/program", "talk", "felixbraun", addTalk)
	head := ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"].(string)
	r.srv.SetReadOnly(true)
	res := r.step("pull_request", ev, map[string]string{"command": "check"})
	if res.code != 1 || len(r.srv.Comments(n)) != 0 || len(r.srv.Asked(n)) != 0 {
		t.Fatalf("read-only check: exit %d, comments %v, asked %v\n%s%s", res.code, r.srv.Comments(n), r.srv.Asked(n), res.stdout, res.stderr)
	}
	wantIn(t, "the log", res.stderr, "saved the comment as "+filepath.Join(res.temp, "tally-comment.md"))
	var meta struct {
		PullRequest int      `json:"pull_request"`
		HeadSHA     string   `json:"head_sha"`
		Reviewers   []string `json:"reviewers"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(res.temp, "tally-comment.json"))), &meta); err != nil {
		t.Fatal(err)
	}
	if meta.PullRequest != n || meta.HeadSHA != head || !slices.Equal(meta.Reviewers, []string{"aikotanaka", "cmendes"}) {
		t.Fatalf("tally-comment.json = %+v", meta)
	}
	saved := readFile(t, filepath.Join(res.temp, "tally-comment.md"))
	wantIn(t, "the saved comment", saved, "adds a claim that credits **Felix Braun**")

	// The comment workflow: the default branch checked out, the check's
	// files downloaded into its RUNNER_TEMP, a token that may write.
	r.srv.SetReadOnly(false)
	r.repo.Git("checkout", "-q", "main")
	r.temp = res.temp
	run := func(id int64, sha string) stepResult {
		return r.step("workflow_run", map[string]any{"action": "completed", "workflow_run": map[string]any{
			"id": id, "event": "pull_request", "head_sha": sha, "conclusion": "failure",
			"head_repository": map[string]any{"full_name": "felixbraun/program"},
		}}, map[string]string{"command": "comment"})
	}
	if res := run(7002, head); res.code != 0 {
		t.Fatalf("comment: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	body := oneComment(t, r.srv, n)
	if body != commentMarker+"\n<!-- tally:run 7002 -->\n"+saved {
		t.Errorf("the posted comment differs from the saved one:\n%s", body)
	}
	if asked := r.srv.Asked(n); !slices.Equal(asked, []string{"aikotanaka", "cmendes"}) {
		t.Errorf("asked %v", asked)
	}

	// Again (a re-run of the workflow): nothing new.
	if res := run(7002, head); res.code != 0 || len(r.srv.Asked(n)) != 2 || oneComment(t, r.srv, n) != body {
		t.Fatalf("again: exit %d, asked %v", res.code, r.srv.Asked(n))
	}
	// The comment of an earlier run of the check, coming late, is kept
	// from replacing the later one.
	if err := os.WriteFile(filepath.Join(res.temp, "tally-comment.md"), []byte("older\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := run(7001, head); res.code != 0 || oneComment(t, r.srv, n) != body {
		t.Fatalf("an older run's comment: exit %d\n%s", res.code, oneComment(t, r.srv, n))
	}

	// A push since: the saved comment is of a head the pull request has
	// left, and is refused.
	r.srv.Push(n, "0123456789abcdef0123456789abcdef01234567")
	res = run(7003, head)
	if res.code != 0 || !strings.Contains(res.stdout, "::warning title=tally::The comment was computed for "+head+", but pull request #1 is now at 0123456789abcdef0123456789abcdef01234567: not posted") ||
		oneComment(t, r.srv, n) != body {
		t.Fatalf("stale: exit %d\n%s", res.code, res.stdout)
	}
}

// What the check saves comes from a run of the pull request's workflow,
// which a fork can rewrite: command comment takes it as data and checks
// it.
func TestActionCommentChecksWhatItPosts(t *testing.T) {
	r := newRunner(t)
	n, ev := r.pullRequestFrom("mallory/program", "talk", "felixbraun", addTalk)
	head := ev["pull_request"].(map[string]any)["head"].(map[string]any)["sha"].(string)
	r.repo.Git("checkout", "-q", "main")
	r.temp = t.TempDir()
	post := func(meta, comment string) stepResult {
		t.Helper()
		for name, data := range map[string]string{"tally-comment.json": meta, "tally-comment.md": comment} {
			if err := os.WriteFile(filepath.Join(r.temp, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return r.step("workflow_run", map[string]any{"workflow_run": map[string]any{"id": 9, "event": "pull_request", "head_sha": head}},
			map[string]string{"command": "comment"})
	}
	for _, c := range []struct{ meta, comment, want string }{
		{`{"pull_request": "1; rm -rf /", "head_sha": "` + head + `"}`, "hi", "cannot unmarshal string"},
		{`{"pull_request": 1, "head_sha": "HEAD"}`, "hi", `head_sha "HEAD" is not a commit`},
		{`{"pull_request": 1, "head_sha": "0123456789abcdef0123456789abcdef01234567"}`, "hi", "is not the head of the check's run"},
		{`{"pull_request": 1, "head_sha": "` + head + `", "reviewers": ["a b"]}`, "hi", `reviewer "a b" is not a GitHub login`},
		{`{"pull_request": 1, "head_sha": "` + head + `", "extra": 1}`, "hi", `unknown field "extra"`},
		{`{"pull_request": 1, "head_sha": "` + head + `"}`, strings.Repeat("x", 70000), "tally-comment.md is larger than 65000 bytes"},
	} {
		res := post(c.meta, c.comment)
		if res.code != 1 || !strings.Contains(res.stdout, c.want) {
			t.Errorf("%s: exit %d, want %q\n%s", c.meta, res.code, c.want, res.stdout)
		}
	}
	if len(r.srv.Comments(n)) != 0 {
		t.Fatalf("a refused comment was posted: %+v", r.srv.Comments(n))
	}

	// Only the program's leads are asked; a mention in the text notifies
	// no one.
	res := post(`{"pull_request": 1, "head_sha": "`+head+`", "reviewers": ["cmendes", "octocat"]}`, "Hello @octocat and @MayaOkafor, see https://social.example/@mallory or mail a@b.example\n")
	if res.code != 0 || !strings.Contains(res.stdout, "::warning title=tally::Not asked to review, as they lead nothing in program.yaml: octocat") {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
	if asked := r.srv.Asked(n); !slices.Equal(asked, []string{"cmendes"}) {
		t.Errorf("asked %v", asked)
	}
	if got, want := oneComment(t, r.srv, n), commentMarker+"\n<!-- tally:run 9 -->\nHello @\u200boctocat and @\u200bMayaOkafor, see https://social.example/@mallory or mail a@b.example\n"; got != want {
		t.Errorf("comment = %q, want %q", got, want)
	}
}
