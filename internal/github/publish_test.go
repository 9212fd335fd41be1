package github_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"
	tgh "github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

func setup(t *testing.T) (*githubtest.Server, *gittest.Repo, string) {
	t.Helper()
	repo := gittest.New(t)
	repo.Write("ledger/program.yaml", "name: Test\n")
	repo.Write("reports/index.md", "# Reports\n")
	repo.Write("reports/monthly/2026-09.md", "old\n")
	repo.Commit("start")
	srv := githubtest.New(t, "acme", "program")
	srv.Token = "t0ken"
	return srv, repo, srv.ImportHead(t, repo.Dir, "main")
}

func publication(base string, changes ...tgh.Change) tgh.Publication {
	return tgh.Publication{
		Owner: "acme", Repo: "program", Base: "main", BaseSHA: base, Branch: "tally/reports",
		Changes: changes, Message: "Reports for 2026-10", Title: "Reports for 2026-10", Body: "body",
	}
}

func TestPublish(t *testing.T) {
	srv, repo, base := setup(t)
	c, err := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	changes := []tgh.Change{
		{Path: "reports/monthly/2026-10.md", Content: []byte("new\n")},
		{Path: "reports/index.md", Content: []byte("# Reports\n- 2026-10\n")},
		{Path: "reports/monthly/2026-09.md", Delete: true},
	}

	// First: a branch, one signed commit on the base, a pull request.
	got, err := tgh.Publish(ctx, c, publication(base, changes...))
	if err != nil {
		t.Fatal(err)
	}
	if got.Operation != tgh.Created || got.Number != 1 || got.URL == "" {
		t.Fatalf("first publication = %+v", got)
	}
	head := srv.Ref("heads/tally/reports")
	commit := srv.Commit(head)
	if head != got.Commit || commit == nil || len(commit.Parents) != 1 || commit.Parents[0] != base || !commit.Signed {
		t.Fatalf("branch commit = %+v, want one signed commit on %s", commit, base)
	}
	files := srv.Files(head)
	want := map[string]string{"ledger/program.yaml": "name: Test\n", "reports/index.md": "# Reports\n- 2026-10\n", "reports/monthly/2026-10.md": "new\n"}
	if len(files) != len(want) {
		t.Errorf("files = %v", files)
	}
	for p, w := range want {
		if files[p] != w {
			t.Errorf("%s = %q, want %q", p, files[p], w)
		}
	}
	pulls := srv.Pulls()
	if len(pulls) != 1 || pulls[0].Head != "tally/reports" || pulls[0].Base != "main" || pulls[0].Body != "body" || pulls[0].MaintainerCanMod {
		t.Fatalf("pulls = %+v", pulls)
	}
	srv.Writes()

	// The same again: nothing written.
	got, err = tgh.Publish(ctx, c, publication(base, changes...))
	if err != nil {
		t.Fatal(err)
	}
	if got.Operation != tgh.None || got.Number != 1 {
		t.Fatalf("second publication = %+v", got)
	}
	if w := srv.Writes(); w["POST git/commits"] != 0 || w["PATCH git/refs"] != 0 || w["PATCH pulls/N"] != 0 {
		t.Errorf("an identical publication wrote %v", w)
	}

	// A new base: the branch is rebuilt on it, the pull request updated.
	repo.Write("ledger/people/ann.yaml", "name: Ann\n")
	repo.Commit("ann")
	base2 := srv.ImportHead(t, repo.Dir, "main")
	p := publication(base2, changes[0])
	p.Body = "body 2"
	got, err = tgh.Publish(ctx, c, p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Operation != tgh.Updated || got.Number != 1 {
		t.Fatalf("third publication = %+v", got)
	}
	if c := srv.Commit(srv.Ref("heads/tally/reports")); c.Parents[0] != base2 {
		t.Errorf("the branch was not force-updated onto the new base: %+v", c)
	}
	if f := srv.Files(srv.Ref("heads/tally/reports")); f["ledger/people/ann.yaml"] != "name: Ann\n" || f["reports/monthly/2026-09.md"] != "old\n" {
		t.Errorf("files after update = %v", f)
	}
	if pr := srv.Pulls()[0]; pr.Body != "body 2" || pr.State != "open" {
		t.Errorf("pull request = %+v", pr)
	}

	// Nothing left to publish: the pull request is closed, then nothing.
	got, err = tgh.Publish(ctx, c, publication(base2))
	if err != nil {
		t.Fatal(err)
	}
	if got.Operation != tgh.Closed || srv.Pulls()[0].State != "closed" {
		t.Fatalf("empty publication = %+v, pulls %+v", got, srv.Pulls())
	}
	got, err = tgh.Publish(ctx, c, publication(base2))
	if err != nil || got.Operation != tgh.None {
		t.Fatalf("empty publication again = %+v, %v", got, err)
	}
}

func TestPublishUnknownBase(t *testing.T) {
	srv, _, _ := setup(t)
	c, _ := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: "t0ken"})
	_, err := tgh.Publish(context.Background(), c, publication("0123456789012345678901234567890123456789", tgh.Change{Path: "a", Content: []byte("x")}))
	if err == nil {
		t.Fatal("published on a commit GitHub does not have")
	}
}

func TestApprovers(t *testing.T) {
	srv := githubtest.New(t, "acme", "program")
	srv.PerPage = 2 // several pages
	n := srv.AddPull("newcomer", "claim", "main")
	const first, second = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"
	srv.Push(n, first)
	srv.AddReview(n, "harry", "APPROVED") // approved what the pull request held then
	srv.Push(n, second)
	srv.AddReview(n, "Carol", "APPROVED")
	srv.AddReview(n, "dave", "APPROVED")
	srv.AddReview(n, "dave", "COMMENTED") // a comment keeps the approval
	srv.AddReview(n, "erin", "APPROVED")
	srv.AddReview(n, "erin", "CHANGES_REQUESTED")
	srv.AddReview(n, "frank", "CHANGES_REQUESTED")
	srv.AddReview(n, "frank", "APPROVED")
	srv.AddReview(n, "gina", "APPROVED")
	srv.AddReview(n, "gina", "DISMISSED")
	c, _ := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: ""})
	got, err := tgh.Approvers(context.Background(), c, "acme", "program", n, second)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"carol", "dave", "frank"}; !slices.Equal(got, want) {
		t.Errorf("approvers of the head = %v, want %v", got, want)
	}
	// Of the first commit, only the approval given on it.
	if got, err = tgh.Approvers(context.Background(), c, "acme", "program", n, first); err != nil || !slices.Equal(got, []string{"harry"}) {
		t.Errorf("approvers of the first commit = %v, %v; want [harry]", got, err)
	}
	if _, err := tgh.Approvers(context.Background(), c, "acme", "program", n, ""); err == nil {
		t.Error("reviews were judged without a head commit")
	}
	if head, err := tgh.HeadSHA(context.Background(), c, "acme", "program", n); err != nil || head != second {
		t.Errorf("HeadSHA = %q, %v; want %s", head, err, second)
	}
}

func TestNewClient(t *testing.T) {
	srv := githubtest.New(t, "acme", "program")
	srv.Token = "right"
	c, err := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tgh.Approvers(context.Background(), c, "acme", "program", 1, "1111111111111111111111111111111111111111"); err == nil {
		t.Error("a wrong token was accepted")
	}
	if _, err := tgh.NewClient(tgh.ClientOptions{APIURL: "api.github.com"}); err == nil {
		t.Error("a relative API URL was accepted")
	}
}

// The base moved after the run checked it out: publishing would undo what
// it took since, so nothing is written.
func TestPublishBaseMoved(t *testing.T) {
	srv, repo, base := setup(t)
	c, _ := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: "t0ken"})
	repo.Write("ledger/people/ann.yaml", "name: Ann\n")
	repo.Commit("ann")
	moved := srv.ImportHead(t, repo.Dir, "main")
	srv.Writes()
	for _, changes := range [][]tgh.Change{{{Path: "reports/index.md", Content: []byte("new\n")}}, nil} {
		_, err := tgh.Publish(context.Background(), c, publication(base, changes...))
		if err == nil || !strings.Contains(err.Error(), "branch main is at "+moved+", not at "+base) {
			t.Errorf("publishing on a moved base: %v", err)
		}
	}
	if w := srv.Writes(); len(w) != 0 {
		t.Errorf("a refused publication wrote %v", w)
	}
}

func TestPublishOntoBase(t *testing.T) {
	srv, _, base := setup(t)
	c, _ := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: "t0ken"})
	for _, branch := range []string{"main", "refs/heads/main"} {
		p := publication(base, tgh.Change{Path: "reports/index.md", Content: []byte("new\n")})
		p.Branch = branch
		_, err := tgh.Publish(context.Background(), c, p)
		if err == nil || !strings.Contains(err.Error(), "is the base branch") {
			t.Errorf("branch %s: %v", branch, err)
		}
	}
	if srv.Ref("heads/main") != base || len(srv.Writes()) != 0 {
		t.Error("the base branch was written")
	}
}

// Only the commit tally published, as GitHub records it, verifies: not one
// pushed on top of it, not one that names the bot as its author, not one
// GitHub signed for the bot elsewhere, whoever else marks it.
func TestVerifyPublication(t *testing.T) {
	srv, repo, base := setup(t)
	c, _ := tgh.NewClient(tgh.ClientOptions{APIURL: srv.URL, Token: "t0ken"})
	ctx := context.Background()
	pub, err := tgh.Publish(ctx, c, publication(base, tgh.Change{Path: "reports/monthly/2026-10.md", Content: []byte("new\n")}))
	if err != nil {
		t.Fatal(err)
	}
	verify := func(head string) string {
		t.Helper()
		why, err := tgh.VerifyPublication(ctx, c, "acme", "program", pub.Number, head)
		if err != nil {
			t.Fatal(err)
		}
		return why
	}
	if why := verify(pub.Commit); why != "" {
		t.Fatalf("tally's own publication: %s", why)
	}
	if st := srv.Statuses(pub.Commit); len(st) != 1 || st[0] != (githubtest.Status{Context: "tally/publication", State: "success", Description: "Published by tally's monthly run", Creator: "github-actions[bot]"}) {
		t.Errorf("statuses = %+v", st)
	}

	// Someone pushes a commit on top.
	srv.Fetch(t, repo.Dir, pub.Commit)
	repo.Git("checkout", "-q", pub.Commit)
	repo.Write("ledger/credits/2026/10/extra.yaml", "credits: []\n")
	pushed := repo.Commit("one more")
	srv.ImportHead(t, repo.Dir, "tally/reports")
	if why := verify(pushed); why != "it holds more than the one commit tally publishes" {
		t.Errorf("a commit pushed on top: %q", why)
	}

	// Someone pushes one commit that names the bot and GitHub.
	repo.Git("checkout", "-q", base)
	repo.Write("reports/monthly/2026-10.md", "forged\n")
	repo.Git("add", "-A")
	repo.Git("-c", "user.name=GitHub", "-c", "user.email=noreply@github.com", "commit", "-q", "-m", "Reports",
		"--author", "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>")
	forged := srv.ImportHead(t, repo.Dir, "tally/reports")
	if why := verify(forged); why != "commit "+forged+" is not signed by GitHub" {
		t.Errorf("a pushed commit in the bot's name: %q", why)
	}
	if why := verify(pub.Commit); why != "its commit is "+forged+", not "+pub.Commit+", the head this run checks" {
		t.Errorf("a head the pull request has moved from: %q", why)
	}

	// A commit GitHub signed for the bot, but not marked here, as one
	// made in another repository and pushed here would be; someone else's
	// mark does not count.
	tree := srv.Commit(pub.Commit).Tree
	signed, _, err := c.Git.CreateCommit(ctx, "acme", "program", &gh.Commit{Message: gh.String("Reports"), Tree: &gh.Tree{SHA: gh.String(tree)}, Parents: []*gh.Commit{{SHA: gh.String(base)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetRef("heads/tally/reports", signed.GetSHA())
	srv.AddStatus(signed.GetSHA(), githubtest.Status{Context: "tally/publication", State: "success", Creator: "mallory"})
	if why := verify(signed.GetSHA()); !strings.Contains(why, "did not mark commit "+signed.GetSHA()+" with the tally/publication status") {
		t.Errorf("a signed commit tally did not mark: %q", why)
	}

	// Publishing again replaces it with a publication of tally's, though
	// the files are the same.
	again, err := tgh.Publish(ctx, c, publication(base, tgh.Change{Path: "reports/monthly/2026-10.md", Content: []byte("new\n")}))
	if err != nil {
		t.Fatal(err)
	}
	if again.Commit == signed.GetSHA() || again.Operation != tgh.Updated || verify(again.Commit) != "" {
		t.Errorf("publishing over someone else's commit of the same files = %+v", again)
	}
}
