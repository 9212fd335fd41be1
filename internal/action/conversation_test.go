package action

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
	"github.com/tallyledger/tally/internal/ledger"
)

// Removing a decision is the leadership's, but not of those who work for
// the applicant: they are not asked to review.
func TestReviewersOfADecisionLeaveOutTheApplicant(t *testing.T) {
	t.Parallel()
	const app = "ledger/applications/saffron-stack/2025-06-04.yaml"
	res := checkPR(t, "arjunnair", nil, func(r *gittest.Repo) {
		s := r.Read(app)
		r.Write(app, s[:strings.Index(s, "decision:")])
	})
	// (Saffron Stack's roadmap submissions are findings now: it is no
	// longer a partner.)
	if p := res.Problems[len(res.Problems)-1]; !p.Reviewing || p.Rule != "rules-review" {
		t.Fatalf("problems:\n%s", problems(res))
	}
	// Priya Raman works for Saffron Stack.
	if got := res.reviewers(); !slices.Equal(got, []string{"jweber", "mayaokafor"}) {
		t.Errorf("reviewers = %v", got)
	}
}

// A claim's data is the pull request's: in the comment it stays text,
// never markup, a link or a mention.
func TestCommentEscapesTheClaim(t *testing.T) {
	t.Parallel()
	res := checkPR(t, "mallory", nil, func(r *gittest.Repo) {
		r.Write("ledger/claims/talk/2026/x.yaml", "who: github:felixbraun\ndate: 2026-10-12\nevidence: https://example.org\n"+
			"title: \"[Approved](https://evil.example) @lumen/leadership <img src=x> | cell\"\n")
	})
	body := commentBody(commentInput{Number: 7, Res: res, BlobURL: "https://github.example/o/r/blob/abc/", Today: ledger.MonthOf(2026, 11).First()})
	// What is left once the escaped characters are taken out is text.
	unescaped := strings.NewReplacer(`\[`, "", `\]`, "", `\<`, "", `\>`, "", `\|`, "").Replace(body)
	for _, raw := range []string{"[Approved]", "](https://evil", "@lumen", "<img", " | cell"} {
		if strings.Contains(unescaped, raw) {
			t.Errorf("the comment holds %q as Markdown:\n%s", raw, body)
		}
	}
	for _, want := range []string{
		`for “\[Approved\](https://evil.example) @&#8203;lumen/leadership \<img src=x\> \| cell”`,
		"[`ledger/claims/talk/2026/x.yaml`](https://github.example/o/r/blob/abc/ledger/claims/talk/2026/x.yaml) adds a claim that credits **Felix Braun** (`github:felixbraun`)",
		"- **Needs**: this claim is for github:felixbraun (@&#8203;felixbraun), but the pull request is by @&#8203;mallory",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks %q:\n%s", want, body)
		}
	}
}

// A comment longer than GitHub takes is cut at a line, with a note.
func TestCommentFits(t *testing.T) {
	t.Parallel()
	res := checkPR(t, "felixbraun", nil, func(r *gittest.Repo) {
		r.Write("ledger/claims/talk/2026/x.yaml", "who: github:felixbraun\ndate: 2026-10-12\nevidence: https://example.org\n")
	})
	diff := strings.Repeat("| Some Person | 1 → 2 (+1) | 1 → 2 | 3 |\n", 3000)
	body := commentBody(commentInput{Number: 7, Res: res, Diff: diff})
	if len(body) > maxComment || utf8.RuneCountInString(commentHeader(1<<62)+body) > 65536 {
		t.Fatalf("the comment is %d bytes", len(body))
	}
	if !strings.HasSuffix(body, "| 3 |\n\n*The rest is cut: GitHub takes at most 65,536 characters here. The check's step summary has everything.*\n") {
		t.Errorf("the comment ends %q", body[len(body)-200:])
	}
}

// Nothing changed in the ledger and nothing to say: no comment.
func TestCommentNothingToSay(t *testing.T) {
	t.Parallel()
	res := checkPR(t, "felixbraun", nil, func(r *gittest.Repo) { r.Write("README.md", "Hello\n") })
	if body := commentBody(commentInput{Number: 7, Res: res}); body != "" {
		t.Errorf("comment = %q", body)
	}
}

func TestUnmentioned(t *testing.T) {
	for in, want := range map[string]string{
		"@maya, (@jonas) and @lumen/leadership":                 "@\u200bmaya, (@\u200bjonas) and @\u200blumen/leadership",
		"mail a@b.example or see https://social.example/@alice": "mail a@b.example or see https://social.example/@alice",
		"@&#8203;maya is escaped already":                       "@&#8203;maya is escaped already",
		"line\n@start":                                          "line\n@\u200bstart",
		"`@code`":                                               "`@\u200bcode`",
	} {
		if got := unmentioned(in); got != want {
			t.Errorf("unmentioned(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRunOf(t *testing.T) {
	for body, want := range map[string]int64{
		commentHeader(42) + "text":                       42,
		commentMarker + "\ntext <!-- tally:run 9 -->":    0,
		"<!-- tally:run 7 -->\n" + commentMarker + "\n":  0,
		commentHeader(0) + "<!-- tally:run 99 -->\ntext": 0,
	} {
		if got := runOf(body); got != want {
			t.Errorf("runOf(%q) = %d, want %d", body, got, want)
		}
	}
}
