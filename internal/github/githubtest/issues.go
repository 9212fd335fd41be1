package githubtest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Issues.
func (s *Server) issueRoutes() {
	s.route("GET issues", (*call).listIssues)
}

// Issue is an issue.
type Issue struct {
	Number      int
	Title, Body string
	// State is "open" or "closed"; StateReason is why it was closed
	// ("completed", "not_planned"), "" for none, as for issues closed
	// before GitHub recorded reasons.
	State, StateReason string
	Author             string
	Assignees          []string
	// Created, Updated and Closed are when it was opened, last changed and
	// closed; zero for never. PutIssue sets a zero Updated to Created,
	// a zero Created to Updated or else the server's time, and an empty
	// State to closed when Closed is set, else open.
	Created, Updated, Closed time.Time
}

// PutIssue stores an issue as given, replacing any of its number.
func (r *Repository) PutIssue(is Issue) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if is.Created.IsZero() {
		is.Created = is.Updated
		if is.Created.IsZero() {
			is.Created = r.s.now()
		}
	}
	if is.Updated.IsZero() {
		is.Updated = is.Created
	}
	if is.State == "" {
		is.State = "open"
		if !is.Closed.IsZero() {
			is.State = "closed"
		}
	}
	r.issues = slices.DeleteFunc(r.issues, func(o *Issue) bool { return o.Number == is.Number })
	r.issues = append(r.issues, &is)
}

// EditIssue changes an issue in place, as a change on GitHub does while
// a client reads.
func (r *Repository) EditIssue(number int, edit func(*Issue)) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for _, is := range r.issues {
		if is.Number == number {
			edit(is)
		}
	}
}

// listed is an entry of the issues list: an issue, or a pull request,
// which GitHub lists as issues too.
type listed struct {
	Issue
	pull bool
}

func (c *call) listIssues() {
	q := c.r.URL.Query()
	state := cmp.Or(q.Get("state"), "open")
	var since time.Time
	if s := q.Get("since"); s != "" {
		var err error
		if since, err = time.Parse(time.RFC3339, s); err != nil {
			c.invalid("Validation Failed: since is not a time (" + s + ")")
			return
		}
	}
	all := make([]listed, 0, len(c.repo.issues)+len(c.repo.pulls))
	for _, is := range c.repo.issues {
		all = append(all, listed{Issue: *is})
	}
	for _, p := range c.repo.pulls {
		all = append(all, listed{Issue: Issue{Number: p.Number, Title: p.Title, Body: p.Body, State: p.State, Author: p.Author,
			Assignees: p.Assignees, Created: p.Created, Updated: p.Updated, Closed: p.Closed}, pull: true})
	}
	var items []listed
	for _, is := range all {
		switch a := q.Get("assignee"); {
		case state != "all" && is.State != state,
			a == "*" && len(is.Assignees) == 0,
			a == "none" && len(is.Assignees) > 0,
			a != "" && a != "*" && a != "none" && !slices.ContainsFunc(is.Assignees, func(l string) bool { return strings.EqualFold(l, a) }),
			is.Updated.Before(since),
			c.s.SinceExclusive && is.Updated.Equal(since):
			continue
		}
		items = append(items, is)
	}
	if !sortByTime(c, items, false, func(is listed) (time.Time, time.Time, int) { return is.Created, is.Updated, is.Number }) {
		return
	}
	page(c, items, c.issueJSON)
}

func (c *call) issueJSON(is listed) any {
	r := c.repo
	n := strconv.Itoa(is.Number)
	out := map[string]any{
		"id": 2000000 + is.Number, "url": r.apiURL("issues/" + n), "repository_url": r.s.Server.URL + "/repos/" + r.FullName,
		"html_url": r.htmlURL("issues/" + n), "number": is.Number, "state": is.State, "state_reason": nil,
		"title": is.Title, "body": is.Body, "user": c.s.user(is.Author), "labels": []any{},
		"assignee": nil, "assignees": c.s.users(is.Assignees), "milestone": nil, "locked": false, "active_lock_reason": nil,
		"comments": 0, "created_at": timeJSON(is.Created), "updated_at": timeJSON(is.Updated), "closed_at": timeJSON(is.Closed),
		"author_association": "NONE",
	}
	if is.StateReason != "" {
		out["state_reason"] = is.StateReason
	}
	if len(is.Assignees) > 0 {
		out["assignee"] = c.s.user(is.Assignees[0])
	}
	if is.pull {
		out["html_url"] = r.htmlURL("pull/" + n)
		out["pull_request"] = map[string]any{"url": r.apiURL("pulls/" + n), "html_url": r.htmlURL("pull/" + n),
			"diff_url": r.htmlURL("pull/" + n + ".diff"), "patch_url": r.htmlURL("pull/" + n + ".patch")}
	}
	return out
}
