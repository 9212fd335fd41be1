package github

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	gh "github.com/google/go-github/v60/github"
)

// Tracked is an issue tally keeps up to date, one per subject: found by
// its Title and by Marker in its body among the issues a bot account
// opened, so that no one else's issue is taken for it.
type Tracked struct {
	Owner, Repo   string
	Title, Marker string
	// Since is when the issue's subject began: an issue about it cannot
	// have changed before, so only issues updated since are read.
	Since time.Time
}

// Issue is what Tracked.Put did.
type Issue struct {
	Operation string // Created, Updated or None
	// Number and URL are the issue's, when there is one; State is open or
	// closed.
	Number     int
	URL, State string
}

// Put makes the issue say body: it opens the issue when there is none and
// open is set, and updates an open one. A closed issue is left as it is:
// someone closed it, and it stays closed.
func (t Tracked) Put(ctx context.Context, c *gh.Client, body string, open bool) (*Issue, error) {
	if !strings.Contains(body, t.Marker) {
		return nil, fmt.Errorf("the issue's body does not hold its marker %s", t.Marker)
	}
	if n := utf8.RuneCountInString(body); n > MaxBody {
		return nil, fmt.Errorf("the issue's body is %d characters long; GitHub takes at most %d", n, MaxBody)
	}
	found, err := t.find(ctx, c)
	if err != nil {
		return nil, err
	}
	switch {
	case found == nil && !open:
		return &Issue{Operation: None}, nil
	case found == nil:
		is, _, err := c.Issues.Create(ctx, t.Owner, t.Repo, &gh.IssueRequest{Title: gh.String(t.Title), Body: gh.String(body)})
		if err != nil {
			return nil, fmt.Errorf("opening the issue %q: %w (does the token have issues: write?)", t.Title, err)
		}
		return issue(Created, is), nil
	case found.GetState() != "open" || found.GetBody() == body:
		return issue(None, found), nil
	}
	is, _, err := c.Issues.Edit(ctx, t.Owner, t.Repo, found.GetNumber(), &gh.IssueRequest{Body: gh.String(body)})
	if err != nil {
		return nil, fmt.Errorf("updating issue #%d: %w", found.GetNumber(), err)
	}
	return issue(Updated, is), nil
}

func issue(op string, is *gh.Issue) *Issue {
	return &Issue{Operation: op, Number: is.GetNumber(), URL: is.GetHTMLURL(), State: is.GetState()}
}

// find returns the issue, the earliest opened when there are several.
func (t Tracked) find(ctx context.Context, c *gh.Client) (*gh.Issue, error) {
	opt := &gh.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc", Since: t.Since, ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		issues, resp, err := c.Issues.ListByRepo(ctx, t.Owner, t.Repo, opt)
		if err != nil {
			return nil, fmt.Errorf("looking for the issue %q: %w", t.Title, err)
		}
		for _, is := range issues {
			// The list holds pull requests too.
			if !is.IsPullRequest() && is.GetUser().GetType() == "Bot" && is.GetTitle() == t.Title && strings.Contains(is.GetBody(), t.Marker) {
				return is, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opt.Page = resp.NextPage
	}
}
