package github

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// reviews lists every review of a pull request, oldest first, every page.
func reviews(ctx context.Context, c *gh.Client, owner, repo string, number int) ([]*gh.PullRequestReview, error) {
	var out []*gh.PullRequestReview
	opt := &gh.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.PullRequests.ListReviews(ctx, owner, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("reading the reviews of pull request #%d: %w", number, err)
		}
		out = append(out, page...)
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// Approvers lists the logins (lowercased, sorted) whose standing review of
// a pull request is an approval of its head commit: each reviewer's latest
// review that approves, requests changes or was dismissed decides, and an
// approval counts only when given on head, since it approved what the pull
// request held then; comments do not count. Every page of reviews is read.
func Approvers(ctx context.Context, c *gh.Client, owner, repo string, number int, head string) ([]string, error) {
	if head == "" {
		return nil, fmt.Errorf("the reviews of pull request #%d: no head commit to judge them by", number)
	}
	all, err := reviews(ctx, c, owner, repo, number)
	if err != nil {
		return nil, err
	}
	type standing struct{ state, commit string }
	latest := map[string]standing{}
	// Reviews come oldest first, so a later one replaces an earlier.
	for _, r := range all {
		login := strings.ToLower(r.GetUser().GetLogin())
		switch state := r.GetState(); state {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
			if login != "" {
				latest[login] = standing{state, r.GetCommitID()}
			}
		}
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

// ReviewRequests is what RequestReviews did.
type ReviewRequests struct {
	// Asked are the logins asked now, sorted.
	Asked []string
	// Refused are those GitHub would not ask, with its reason: someone who
	// is not a collaborator of the repository, for one.
	Refused []string
}

// RequestReviews asks the people want (GitHub logins) to review pull
// request number, except its author, anyone already asked, and anyone
// who has reviewed it in any way: so that a re-run asks no one twice, and
// no one who answered is asked again.
func RequestReviews(ctx context.Context, c *gh.Client, owner, repo string, number int, author string, want []string) (*ReviewRequests, error) {
	skip := map[string]bool{strings.ToLower(author): true}
	requested, _, err := c.PullRequests.ListReviewers(ctx, owner, repo, number, &gh.ListOptions{PerPage: 100})
	if err != nil {
		return nil, fmt.Errorf("reading who is asked to review pull request #%d: %w", number, err)
	}
	for _, u := range requested.Users {
		skip[strings.ToLower(u.GetLogin())] = true
	}
	all, err := reviews(ctx, c, owner, repo, number)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		skip[strings.ToLower(r.GetUser().GetLogin())] = true
	}
	var ask []string
	for _, login := range want {
		if l := strings.ToLower(login); !skip[l] {
			skip[l] = true
			ask = append(ask, login)
		}
	}
	slices.Sort(ask)
	out := &ReviewRequests{}
	if len(ask) == 0 {
		return out, nil
	}
	// GitHub refuses the whole request when it refuses one reviewer: then
	// each is asked alone, so that the others still are.
	err = request(ctx, c, owner, repo, number, ask)
	if !unprocessable(err) || len(ask) == 1 {
		if unprocessable(err) {
			out.Refused = append(out.Refused, refusal(ask[0], err))
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out.Asked = ask
		return out, nil
	}
	for _, login := range ask {
		switch err := request(ctx, c, owner, repo, number, []string{login}); {
		case unprocessable(err):
			out.Refused = append(out.Refused, refusal(login, err))
		case err != nil:
			return nil, err
		default:
			out.Asked = append(out.Asked, login)
		}
	}
	return out, nil
}

func request(ctx context.Context, c *gh.Client, owner, repo string, number int, logins []string) error {
	_, _, err := c.PullRequests.RequestReviewers(ctx, owner, repo, number, gh.ReviewersRequest{Reviewers: logins})
	if err != nil {
		return fmt.Errorf("asking %s to review pull request #%d: %w", strings.Join(logins, ", "), number, err)
	}
	return nil
}

func unprocessable(err error) bool {
	e, ok := errorResponse(err)
	return ok && e.Response.StatusCode == http.StatusUnprocessableEntity
}

func refusal(login string, err error) string {
	e, _ := errorResponse(err)
	return login + ": " + e.Message
}
