package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	gh "github.com/google/go-github/v60/github"
)

// MaxBody is the most characters GitHub takes in a comment, an issue's or
// a pull request's body.
const MaxBody = 65536

// Deleted is the operation of a comment that was removed.
const Deleted = "deleted"

// Sticky is the one comment tally keeps on a pull request (or an issue),
// edited in place. It is told from every other comment by Marker, which
// starts its body, and by its author, a bot account: a person's comment
// that quotes the marker is never taken for it, nor edited.
type Sticky struct {
	Owner, Repo string
	Number      int
	Marker      string
}

// find returns tally's comment, the earliest, and any later ones, which a
// race of two runs can leave.
func (s Sticky) find(ctx context.Context, c *gh.Client) (first *gh.IssueComment, extra []*gh.IssueComment, err error) {
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		comments, resp, err := c.Issues.ListComments(ctx, s.Owner, s.Repo, s.Number, opt)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the comments of #%d: %w", s.Number, err)
		}
		for _, cm := range comments {
			if cm.GetUser().GetType() != "Bot" || !strings.HasPrefix(cm.GetBody(), s.Marker) {
				continue
			}
			if first == nil {
				first = cm
			} else {
				extra = append(extra, cm)
			}
		}
		if resp.NextPage == 0 {
			return first, extra, nil
		}
		opt.Page = resp.NextPage
	}
}

// Put makes tally's comment say body, which starts with the marker: it
// creates the comment, edits it when it says something else, or leaves it
// (None). replace, when not nil, sees the comment's body and may keep it
// (None): one written by a later run. Any second comment of tally's is
// removed.
func (s Sticky) Put(ctx context.Context, c *gh.Client, body string, replace func(old string) bool) (string, error) {
	if !strings.HasPrefix(body, s.Marker) {
		return "", fmt.Errorf("the comment does not start with its marker %s", s.Marker)
	}
	if n := utf8.RuneCountInString(body); n > MaxBody {
		return "", fmt.Errorf("the comment is %d characters long; GitHub takes at most %d", n, MaxBody)
	}
	first, extra, err := s.find(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.remove(ctx, c, extra); err != nil {
		return "", err
	}
	switch {
	case first == nil:
		if _, _, err := c.Issues.CreateComment(ctx, s.Owner, s.Repo, s.Number, &gh.IssueComment{Body: gh.String(body)}); err != nil {
			return "", fmt.Errorf("commenting on #%d: %w", s.Number, err)
		}
		return Created, nil
	case first.GetBody() == body || replace != nil && !replace(first.GetBody()):
		return None, nil
	}
	if _, _, err := c.Issues.EditComment(ctx, s.Owner, s.Repo, first.GetID(), &gh.IssueComment{Body: gh.String(body)}); err != nil {
		return "", fmt.Errorf("editing the comment on #%d: %w", s.Number, err)
	}
	return Updated, nil
}

// Delete removes tally's comment, when there is one.
func (s Sticky) Delete(ctx context.Context, c *gh.Client) (string, error) {
	first, extra, err := s.find(ctx, c)
	if err != nil || first == nil {
		return None, err
	}
	if err := s.remove(ctx, c, append(extra, first)); err != nil {
		return "", err
	}
	return Deleted, nil
}

func (s Sticky) remove(ctx context.Context, c *gh.Client, comments []*gh.IssueComment) error {
	for _, cm := range comments {
		if _, err := c.Issues.DeleteComment(ctx, s.Owner, s.Repo, cm.GetID()); err != nil {
			return fmt.Errorf("removing tally's comment on #%d: %w", s.Number, err)
		}
	}
	return nil
}

// Forbidden tells whether err is GitHub refusing a request for want of a
// permission: what a read-only token, such as a fork's pull request gets,
// meets when it writes.
func Forbidden(err error) bool {
	e, ok := errorResponse(err)
	return ok && e.Response.StatusCode == http.StatusForbidden
}

// errorResponse is the API's answer that err reports, when it is one.
func errorResponse(err error) (*gh.ErrorResponse, bool) {
	var e *gh.ErrorResponse
	return e, errors.As(err, &e) && e.Response != nil
}
