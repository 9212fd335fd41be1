package github

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// Change is one file a run changed, by slash path from the top of the
// repository: its new content, or its removal.
type Change struct {
	Path    string
	Content []byte
	Delete  bool
}

// Publication is what to publish as one pull request: the changes as one
// commit on Branch, made on top of BaseSHA, proposed for merging into Base.
type Publication struct {
	Owner, Repo string
	// Base is the branch the pull request merges into; BaseSHA is the
	// commit of it the changes were made from.
	Base, BaseSHA string
	// Branch is the branch the pull request is published from; it is
	// tally's alone: each publication replaces it.
	Branch  string
	Changes []Change
	Message string // of the commit
	Title   string // of the pull request
	Body    string // of the pull request
}

// Operations on the pull request.
const (
	Created = "created"
	Updated = "updated"
	Closed  = "closed"
	None    = "none"
)

// Published is what Publish did.
type Published struct {
	Operation string
	// Number and URL are the pull request's, when there is one.
	Number int
	URL    string
	Commit string
}

// PublicationStatus is the commit status with which Publish marks each
// commit it publishes. GitHub records who sets a status, and no one can
// change or remove it: with the commit's own signature, it is what tells
// tally's publication from anything else pushed to the branch (see
// VerifyPublication).
const PublicationStatus = "tally/publication"

// Publish proposes the changes as one pull request through the Git Data
// API, so that nothing is pushed from the runner:
//   - Branch must not be Base, and Base must still be at BaseSHA;
//   - no changes: an open pull request from Branch is closed (the base has
//     caught up), else nothing happens;
//   - otherwise the files become one commit on top of BaseSHA, made
//     without author or committer so that GitHub signs it as the token's
//     owner, marked with PublicationStatus, and Branch is force-updated to
//     it, unless Branch already holds exactly that change as a publication
//     of tally's; then the open pull request from Branch is updated, or one
//     is created.
func Publish(ctx context.Context, c *gh.Client, p Publication) (*Published, error) {
	if strings.TrimPrefix(p.Branch, "refs/heads/") == strings.TrimPrefix(p.Base, "refs/heads/") {
		return nil, fmt.Errorf("the branch to publish from, %s, is the base branch: tally force-updates it, so name a branch of its own (input branch, for example tally/reports)", p.Branch)
	}
	if err := baseIsCurrent(ctx, c, p); err != nil {
		return nil, err
	}
	open, err := openPull(ctx, c, p)
	if err != nil {
		return nil, err
	}
	if len(p.Changes) == 0 {
		if open == nil {
			return &Published{Operation: None}, nil
		}
		closed, _, err := c.PullRequests.Edit(ctx, p.Owner, p.Repo, open.GetNumber(), &gh.PullRequest{State: gh.String("closed")})
		if err != nil {
			return nil, fmt.Errorf("closing pull request #%d: %w", open.GetNumber(), err)
		}
		return &Published{Operation: Closed, Number: closed.GetNumber(), URL: closed.GetHTMLURL()}, nil
	}

	base, _, err := c.Git.GetCommit(ctx, p.Owner, p.Repo, p.BaseSHA)
	if err != nil {
		return nil, fmt.Errorf("reading the base commit %s (is it pushed?): %w", p.BaseSHA, err)
	}
	tree, err := makeTree(ctx, c, p, base.GetTree().GetSHA())
	if err != nil {
		return nil, err
	}
	commit, fresh, err := branchCommit(ctx, c, p, tree)
	if err != nil {
		return nil, err
	}
	out := &Published{Commit: commit}
	switch {
	case open != nil && !fresh:
		out.Operation = None
		out.Number, out.URL = open.GetNumber(), open.GetHTMLURL()
	case open != nil:
		pr, _, err := c.PullRequests.Edit(ctx, p.Owner, p.Repo, open.GetNumber(), &gh.PullRequest{Title: gh.String(p.Title), Body: gh.String(p.Body)})
		if err != nil {
			return nil, fmt.Errorf("updating pull request #%d: %w", open.GetNumber(), err)
		}
		out.Operation = Updated
		out.Number, out.URL = pr.GetNumber(), pr.GetHTMLURL()
	default:
		pr, _, err := c.PullRequests.Create(ctx, p.Owner, p.Repo, &gh.NewPullRequest{
			Title: gh.String(p.Title), Head: gh.String(p.Branch), Base: gh.String(p.Base), Body: gh.String(p.Body),
			MaintainerCanModify: gh.Bool(false),
		})
		if err != nil {
			return nil, fmt.Errorf("creating the pull request from %s: %w (does the repository allow GitHub Actions to create pull requests?)", p.Branch, err)
		}
		out.Operation = Created
		out.Number, out.URL = pr.GetNumber(), pr.GetHTMLURL()
	}
	return out, nil
}

// baseIsCurrent makes sure that the base branch is still at the commit the
// changes were made from: had it moved, the pull request would undo what
// it took since (or close a pull request the new base still needs).
func baseIsCurrent(ctx context.Context, c *gh.Client, p Publication) error {
	ref, _, err := c.Git.GetRef(ctx, p.Owner, p.Repo, "heads/"+p.Base)
	if err != nil {
		return fmt.Errorf("reading branch %s: %w", p.Base, err)
	}
	if now := ref.GetObject().GetSHA(); !strings.EqualFold(now, p.BaseSHA) {
		return fmt.Errorf("branch %s is at %s, not at %s, which the changes were made from: it moved since the run checked it out; nothing was published, run again", p.Base, now, p.BaseSHA)
	}
	return nil
}

// openPull finds the open pull request from the branch into the base.
func openPull(ctx context.Context, c *gh.Client, p Publication) (*gh.PullRequest, error) {
	opt := &gh.PullRequestListOptions{State: "open", Head: p.Owner + ":" + p.Branch, Base: p.Base, ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		pulls, resp, err := c.PullRequests.List(ctx, p.Owner, p.Repo, opt)
		if err != nil {
			return nil, fmt.Errorf("looking for the open pull request from %s: %w", p.Branch, err)
		}
		for _, pr := range pulls {
			if pr.GetHead().GetRef() == p.Branch {
				return pr, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opt.Page = resp.NextPage
	}
}

// makeTree writes the changed files as blobs and returns the tree of the
// base with them.
func makeTree(ctx context.Context, c *gh.Client, p Publication, baseTree string) (string, error) {
	entries := make([]*gh.TreeEntry, 0, len(p.Changes))
	for _, ch := range p.Changes {
		e := &gh.TreeEntry{Path: gh.String(ch.Path), Mode: gh.String("100644"), Type: gh.String("blob")}
		if !ch.Delete {
			// Base64, so that any bytes survive the JSON.
			blob, _, err := c.Git.CreateBlob(ctx, p.Owner, p.Repo, &gh.Blob{
				Content: gh.String(base64.StdEncoding.EncodeToString(ch.Content)), Encoding: gh.String("base64"),
			})
			if err != nil {
				return "", fmt.Errorf("uploading %s: %w", ch.Path, err)
			}
			e.SHA = blob.SHA
		}
		entries = append(entries, e)
	}
	tree, _, err := c.Git.CreateTree(ctx, p.Owner, p.Repo, baseTree, entries)
	if err != nil {
		return "", fmt.Errorf("making the tree of the changes: %w", err)
	}
	return tree.GetSHA(), nil
}

// branchCommit points the branch at a commit of tree on top of the base.
// When the branch already holds that (same tree, same parent, published by
// tally), nothing is written and fresh is false.
func branchCommit(ctx context.Context, c *gh.Client, p Publication, tree string) (sha string, fresh bool, err error) {
	ref := "heads/" + p.Branch
	current, resp, err := c.Git.GetRef(ctx, p.Owner, p.Repo, ref)
	exists := true
	if err != nil {
		if resp == nil || resp.StatusCode != http.StatusNotFound {
			return "", false, fmt.Errorf("reading branch %s: %w", p.Branch, err)
		}
		exists = false
	}
	if exists {
		head, _, err := c.Git.GetCommit(ctx, p.Owner, p.Repo, current.GetObject().GetSHA())
		if err != nil {
			return "", false, fmt.Errorf("reading the head of branch %s: %w", p.Branch, err)
		}
		if head.GetTree().GetSHA() == tree && len(head.Parents) == 1 && head.Parents[0].GetSHA() == p.BaseSHA {
			// Someone may have pushed the same files: only a publication
			// of tally's is kept.
			why, err := publishedBy(ctx, c, p.Owner, p.Repo, head.GetSHA())
			if err != nil {
				return "", false, err
			}
			if why == "" {
				return head.GetSHA(), false, nil
			}
		}
	}
	commit, _, err := c.Git.CreateCommit(ctx, p.Owner, p.Repo, &gh.Commit{
		Message: gh.String(p.Message),
		Tree:    &gh.Tree{SHA: gh.String(tree)},
		Parents: []*gh.Commit{{SHA: gh.String(p.BaseSHA)}},
	}, nil)
	if err != nil {
		return "", false, fmt.Errorf("making the commit: %w", err)
	}
	// Before the branch moves, so that the check started by the move finds it.
	if _, _, err := c.Repositories.CreateStatus(ctx, p.Owner, p.Repo, commit.GetSHA(), &gh.RepoStatus{
		State: gh.String("success"), Context: gh.String(PublicationStatus), Description: gh.String("Published by tally's monthly run"),
	}); err != nil {
		return "", false, fmt.Errorf("marking commit %s as tally's publication: %w (does the token have statuses: write?)", commit.GetSHA(), err)
	}
	target := &gh.Reference{Ref: gh.String("refs/" + ref), Object: &gh.GitObject{SHA: commit.SHA}}
	if exists {
		_, _, err = c.Git.UpdateRef(ctx, p.Owner, p.Repo, target, true)
	} else {
		_, _, err = c.Git.CreateRef(ctx, p.Owner, p.Repo, target)
	}
	if err != nil {
		return "", false, fmt.Errorf("pointing branch %s at the new commit: %w", p.Branch, err)
	}
	return commit.GetSHA(), true, nil
}

// VerifyPublication tells whether pull request number, whose head is the
// commit head, holds exactly a publication of Publish's, and if not, why
// not ("" when it does). Such a pull request has one commit of its own,
// head, and head
//   - has one parent: the base branch as it was;
//   - was made through the API for a bot account: GitHub signed it
//     (verified), its author is the bot and its committer web-flow or the
//     bot itself;
//   - was marked with PublicationStatus in this repository by that bot.
//
// Someone who may push to the branch can push any commit to it, with any
// author and committer named in it, even a commit GitHub signed for
// github-actions[bot] in another repository; they cannot set a status as
// the bot here, nor change the one it set. What the bot sets, though,
// anyone who can make a workflow run with a token of the bot's can set
// too: with the workflow token, anyone who may push a workflow to a
// branch; with a GitHub App's, whoever holds its private key.
func VerifyPublication(ctx context.Context, c *gh.Client, owner, repo string, number int, head string) (string, error) {
	commits, _, err := c.PullRequests.ListCommits(ctx, owner, repo, number, &gh.ListOptions{PerPage: 2})
	if err != nil {
		return "", fmt.Errorf("reading the commits of pull request #%d: %w", number, err)
	}
	switch {
	case len(commits) == 0:
		return "it holds no commit of its own", nil
	case len(commits) > 1:
		return "it holds more than the one commit tally publishes", nil
	case !strings.EqualFold(commits[0].GetSHA(), head):
		return fmt.Sprintf("its commit is %s, not %s, the head this run checks", commits[0].GetSHA(), head), nil
	}
	return publishedBy(ctx, c, owner, repo, head)
}

// publishedBy tells whether commit sha is a publication of Publish's, or
// why not; see VerifyPublication.
func publishedBy(ctx context.Context, c *gh.Client, owner, repo, sha string) (string, error) {
	commit, _, err := c.Repositories.GetCommit(ctx, owner, repo, sha, &gh.ListOptions{PerPage: 1})
	if err != nil {
		return "", fmt.Errorf("reading commit %s: %w", sha, err)
	}
	author, committer := commit.GetAuthor().GetLogin(), commit.GetCommitter().GetLogin()
	switch {
	case len(commit.Parents) != 1:
		return fmt.Sprintf("commit %s has %d parents, not one", sha, len(commit.Parents)), nil
	case !commit.GetCommit().GetVerification().GetVerified():
		return fmt.Sprintf("commit %s is not signed by GitHub", sha), nil
	case !strings.HasSuffix(author, "[bot]"):
		return fmt.Sprintf("commit %s is not by a bot account but by %s", sha, orSomeone(author)), nil
	case committer != "web-flow" && !strings.EqualFold(committer, author):
		return fmt.Sprintf("commit %s was committed by %s, not made through GitHub's API", sha, orSomeone(committer)), nil
	}
	opt := &gh.ListOptions{PerPage: 100}
	for {
		statuses, resp, err := c.Repositories.ListStatuses(ctx, owner, repo, sha, opt)
		if err != nil {
			return "", fmt.Errorf("reading the statuses of commit %s: %w (does the token have statuses: read?)", sha, err)
		}
		for _, st := range statuses {
			if st.GetContext() == PublicationStatus && st.GetState() == "success" && strings.EqualFold(st.GetCreator().GetLogin(), author) {
				return "", nil
			}
		}
		if resp.NextPage == 0 {
			return fmt.Sprintf("%s, its author, did not mark commit %s with the %s status, as tally does when it publishes", author, sha, PublicationStatus), nil
		}
		opt.Page = resp.NextPage
	}
}

func orSomeone(login string) string {
	if login == "" {
		return "no GitHub account"
	}
	return login
}
