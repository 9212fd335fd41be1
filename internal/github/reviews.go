package github

import (
	"context"
	"fmt"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// Approvers lists the logins (lowercased, sorted) whose standing review of
// a pull request is an approval of its head commit: each reviewer's latest
// review that approves, requests changes or was dismissed decides, and an
// approval counts only when given on head, since it approved what the pull
// request held then; comments do not count. Every page of reviews is read.
func Approvers(ctx context.Context, c *gh.Client, owner, repo string, number int, head string) ([]string, error) {
	if head == "" {
		return nil, fmt.Errorf("the reviews of pull request #%d: no head commit to judge them by", number)
	}
	type standing struct{ state, commit string }
	latest := map[string]standing{}
	opt := &gh.ListOptions{PerPage: 100}
	for {
		reviews, resp, err := c.PullRequests.ListReviews(ctx, owner, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("reading the reviews of pull request #%d: %w", number, err)
		}
		// Reviews come oldest first, so a later one replaces an earlier.
		for _, r := range reviews {
			login := strings.ToLower(r.GetUser().GetLogin())
			switch state := r.GetState(); state {
			case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
				if login != "" {
					latest[login] = standing{state, r.GetCommitID()}
				}
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	var out []string
	for login, st := range latest {
		if st.state == "APPROVED" && strings.EqualFold(st.commit, head) {
			out = append(out, login)
		}
	}
	slices.Sort(out)
	return out, nil
}

// HeadSHA reads the head commit of a pull request, for events that do not
// carry it.
func HeadSHA(ctx context.Context, c *gh.Client, owner, repo string, number int) (string, error) {
	pr, _, err := c.PullRequests.Get(ctx, owner, repo, number)
	if err != nil {
		return "", fmt.Errorf("reading pull request #%d: %w", number, err)
	}
	if pr.GetHead().GetSHA() == "" {
		return "", fmt.Errorf("pull request #%d has no head commit", number)
	}
	return pr.GetHead().GetSHA(), nil
}
