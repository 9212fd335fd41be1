package github

import (
	"context"
	"fmt"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// Approvers lists the logins (lowercased, sorted) whose standing review of
// a pull request is an approval: each reviewer's latest review that
// approves, requests changes or was dismissed decides; comments do not.
// Every page of reviews is read.
func Approvers(ctx context.Context, c *gh.Client, owner, repo string, number int) ([]string, error) {
	latest := map[string]string{}
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
					latest[login] = state
				}
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	var out []string
	for login, state := range latest {
		if state == "APPROVED" {
			out = append(out, login)
		}
	}
	slices.Sort(out)
	return out, nil
}
