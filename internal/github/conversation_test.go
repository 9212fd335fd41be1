package github_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"
	tgh "github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/github/githubtest"
)

func conversation(t *testing.T) (*githubtest.Server, *gh.Client) {
	t.Helper()
	srv := githubtest.New(t, "acme", "program")
	srv.PerPage = 2 // every list takes pages
	c, err := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// The sticky comment is created once, edited in place, and never taken
// from a person who quotes its marker; a second one (two runs racing) is
// removed.
func TestStickyComment(t *testing.T) {
	srv, c := conversation(t)
	ctx := context.Background()
	n := srv.AddPull("felix", "pr", "main")
	srv.AddComment(n, "felix", "<!-- tally:check --> I quote tally")
	srv.AddComment(n, "maya", "Looks good")
	s := tgh.Sticky{Owner: "acme", Repo: "program", Number: n, Marker: "<!-- tally:check -->"}

	for i, want := range []string{tgh.Created, tgh.None, tgh.Updated} {
		body := "<!-- tally:check -->\nfirst"
		if i == 2 {
			body = "<!-- tally:check -->\nsecond"
		}
		op, err := s.Put(ctx, c, body, nil)
		if err != nil || op != want {
			t.Fatalf("put %d: %q, %v; want %q", i, op, err, want)
		}
	}
	comments := srv.Comments(n)
	if len(comments) != 3 || comments[0].Body != "<!-- tally:check --> I quote tally" || comments[2].Body != "<!-- tally:check -->\nsecond" || comments[2].Author != "github-actions[bot]" {
		t.Fatalf("comments = %+v", comments)
	}

	// A later run's comment is kept.
	if op, err := s.Put(ctx, c, "<!-- tally:check -->\nolder", func(old string) bool { return !strings.Contains(old, "second") }); err != nil || op != tgh.None {
		t.Fatalf("an older run: %q, %v", op, err)
	}

	srv.AddComment(n, "github-actions[bot]", "<!-- tally:check -->\nraced")
	if op, err := s.Put(ctx, c, "<!-- tally:check -->\nthird", nil); err != nil || op != tgh.Updated {
		t.Fatalf("after a race: %q, %v", op, err)
	}
	if got := srv.Comments(n); len(got) != 3 || got[2].Body != "<!-- tally:check -->\nthird" {
		t.Fatalf("after a race, comments = %+v", got)
	}

	if op, err := s.Delete(ctx, c); err != nil || op != tgh.Deleted {
		t.Fatalf("delete: %q, %v", op, err)
	}
	if op, err := s.Delete(ctx, c); err != nil || op != tgh.None {
		t.Fatalf("delete again: %q, %v", op, err)
	}
	if got := srv.Comments(n); len(got) != 2 {
		t.Fatalf("after deleting, comments = %+v", got)
	}

	if _, err := s.Put(ctx, c, "no marker", nil); err == nil {
		t.Error("a body without the marker was posted")
	}
	if _, err := s.Put(ctx, c, "<!-- tally:check -->"+strings.Repeat("é", tgh.MaxBody), nil); err == nil || !strings.Contains(err.Error(), "at most 65536") {
		t.Errorf("a body past GitHub's limit: %v", err)
	}
}

func TestStickyCommentReadOnlyToken(t *testing.T) {
	srv, c := conversation(t)
	n := srv.AddPull("felix", "pr", "main")
	srv.SetReadOnly(true)
	_, err := tgh.Sticky{Owner: "acme", Repo: "program", Number: n, Marker: "<!-- m -->"}.Put(context.Background(), c, "<!-- m -->", nil)
	if !tgh.Forbidden(err) {
		t.Fatalf("err = %v, want a 403", err)
	}
}

// Reviews are asked of each person once: not of the author, of whoever is
// asked already, or of whoever reviewed in any way; GitHub's refusal of
// one (not a collaborator) does not stop the others.
func TestRequestReviews(t *testing.T) {
	srv, c := conversation(t)
	ctx := context.Background()
	n := srv.AddPull("Felix", "pr", "main")
	srv.AddReview(n, "dave", "COMMENTED")
	srv.SetCollaborators("aiko", "cmendes", "dave", "felix", "maya")

	got, err := tgh.RequestReviews(ctx, c, "acme", "program", n, "Felix", []string{"aiko", "felix", "dave", "mallory", "cmendes", "Aiko"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Asked, []string{"aiko", "cmendes"}) || len(got.Refused) != 1 || !strings.HasPrefix(got.Refused[0], "mallory: Reviews may only be requested from collaborators") {
		t.Fatalf("asked %v, refused %v", got.Asked, got.Refused)
	}
	// A re-run asks no one again; a reviewer who answered is not asked
	// again either.
	srv.AddReview(n, "aiko", "APPROVED")
	if got, err = tgh.RequestReviews(ctx, c, "acme", "program", n, "Felix", []string{"aiko", "cmendes", "maya"}); err != nil || !slices.Equal(got.Asked, []string{"maya"}) {
		t.Fatalf("second run: %+v, %v", got, err)
	}
	if asked := srv.Asked(n); !slices.Equal(asked, []string{"aiko", "cmendes", "maya"}) {
		t.Errorf("requests made = %v", asked)
	}
	if req := srv.Requested(n); !slices.Equal(req, []string{"cmendes", "maya"}) {
		t.Errorf("requested now = %v", req)
	}
}

// The tracked issue is opened once, updated while open, and stays closed
// once someone closes it; a person's issue of the same title is not it.
func TestTrackedIssue(t *testing.T) {
	srv, c := conversation(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return now })
	srv.AddPull("felix", "pr", "main")
	srv.AddIssue("maya", "Partner follow-up: 2026-10", "<!-- tally:follow-up 2026-10 --> my notes")
	tr := tgh.Tracked{Owner: "acme", Repo: "program", Title: "Partner follow-up: 2026-10", Marker: "<!-- tally:follow-up 2026-10 -->", Since: now.Add(-24 * time.Hour)}

	if is, err := tr.Put(ctx, c, tr.Marker+"\nnothing", false); err != nil || is.Operation != tgh.None || is.Number != 0 {
		t.Fatalf("nothing to open: %+v, %v", is, err)
	}
	is, err := tr.Put(ctx, c, tr.Marker+"\none", true)
	if err != nil || is.Operation != tgh.Created || is.Number != 3 || is.State != "open" {
		t.Fatalf("first: %+v, %v", is, err)
	}
	if is, err = tr.Put(ctx, c, tr.Marker+"\ntwo", false); err != nil || is.Operation != tgh.Updated || is.Number != 3 {
		t.Fatalf("update: %+v, %v", is, err)
	}
	srv.CloseIssue(3)
	if is, err = tr.Put(ctx, c, tr.Marker+"\nthree", true); err != nil || is.Operation != tgh.None || is.State != "closed" {
		t.Fatalf("closed: %+v, %v", is, err)
	}
	issues := srv.Issues()
	if len(issues) != 2 || issues[1].Body != tr.Marker+"\ntwo" || issues[1].State != "closed" || issues[0].Body != "<!-- tally:follow-up 2026-10 --> my notes" {
		t.Fatalf("issues = %+v", issues)
	}
	// The next month's is another issue.
	next := tr
	next.Title, next.Marker = "Partner follow-up: 2026-11", "<!-- tally:follow-up 2026-11 -->"
	if is, err = next.Put(ctx, c, next.Marker, true); err != nil || is.Operation != tgh.Created || is.Number != 4 {
		t.Fatalf("next month: %+v, %v", is, err)
	}
	// A pull request opened now takes the next number.
	if n := srv.AddPull("felix", "pr2", "main"); n != 5 {
		t.Errorf("the pull request after the issues is #%d", n)
	}
}
