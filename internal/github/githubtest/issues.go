package githubtest

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Issues. Pull requests are read as issues too, but edited as pulls.
func (s *Server) issueRoutes() {
	s.route("GET issues", (*call).listIssues)
	s.route("POST issues", (*call).createIssue)
	s.route("GET issues/{number}", (*call).getIssue)
	s.route("PATCH issues/{number}", (*call).updateIssue)
}

// Issue is an issue (not a pull request).
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
	r.putIssue(is)
}

// AddIssue opens an issue as author, now, and returns its number.
func (r *Repository) AddIssue(author, title, body string) int {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.putIssue(Issue{Number: r.nextNumber(), Title: title, Body: body, Author: author}).Number
}

// CloseIssue closes an issue as done, now, as a person does.
func (r *Repository) CloseIssue(number int) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if is := r.issue(number); is != nil {
		is.State, is.StateReason, is.Closed, is.Updated = "closed", "completed", r.s.now(), r.s.now()
	}
}

// Issues returns a copy of every issue, by number.
func (r *Repository) Issues() []Issue {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return copies(r.issues)
}

func (r *Repository) putIssue(is Issue) *Issue {
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
	stored := &is
	r.issues = slices.DeleteFunc(r.issues, func(o *Issue) bool { return o.Number == is.Number })
	i, _ := slices.BinarySearchFunc(r.issues, is.Number, func(o *Issue, n int) int { return o.Number - n })
	r.issues = slices.Insert(r.issues, i, stored)
	return stored
}

func (r *Repository) issue(number int) *Issue {
	i, ok := slices.BinarySearchFunc(r.issues, number, func(o *Issue, n int) int { return o.Number - n })
	if !ok {
		return nil
	}
	return r.issues[i]
}

// EditIssue changes an issue in place, as a change on GitHub does while
// a client reads.
func (r *Repository) EditIssue(number int, edit func(*Issue)) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if is := r.issue(number); is != nil {
		edit(is)
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
		all = append(all, pullListed(p))
	}
	var items []listed
	for _, is := range all {
		switch a := q.Get("assignee"); {
		case state != "all" && is.State != state,
			a == "*" && len(is.Assignees) == 0,
			a == "none" && len(is.Assignees) > 0,
			a != "" && a != "*" && a != "none" && !hasLogin(is.Assignees, a),
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

// pullListed is a pull request as the issues API shows it.
func pullListed(p *Pull) listed {
	return listed{Issue: Issue{Number: p.Number, Title: p.Title, Body: p.Body, State: p.State, Author: p.Author,
		Assignees: p.Assignees, Created: p.Created, Updated: p.Updated, Closed: p.Closed}, pull: true}
}

// pathIssue is the issue or pull request the request's path names, or
// false after answering 404.
func (c *call) pathIssue() (listed, bool) {
	n, err := strconv.Atoi(c.r.PathValue("number"))
	if err == nil {
		if is := c.repo.issue(n); is != nil {
			return listed{Issue: *is}, true
		}
		if p := c.repo.pull(n); p != nil {
			return pullListed(p), true
		}
	}
	c.notFound()
	return listed{}, false
}

func (c *call) getIssue() {
	if is, ok := c.pathIssue(); ok {
		c.json(http.StatusOK, c.issueJSON(is))
	}
}

func (c *call) createIssue() {
	title, text := c.str("title"), c.str("body")
	switch {
	case strings.TrimSpace(title) == "":
		c.invalid("Validation Failed: title is missing")
		return
	case c.longBody(text):
		return
	}
	is := c.repo.putIssue(Issue{Number: c.repo.nextNumber(), Title: title, Body: text, Author: c.s.Bot})
	c.json(http.StatusCreated, c.issueJSON(listed{Issue: *is}))
}

// updateIssue edits an issue; a pull request's number is not found here,
// as its fields are edited through pulls/N.
func (c *call) updateIssue() {
	n, _ := strconv.Atoi(c.r.PathValue("number"))
	is := c.repo.issue(n)
	if is == nil {
		c.notFound()
		return
	}
	if !c.edit(&is.Title, &is.Body, &is.State, &is.Closed) {
		return
	}
	switch c.str("state") {
	case "open":
		is.StateReason = c.str("state_reason")
	case "closed":
		is.StateReason = cmp.Or(c.str("state_reason"), "completed")
	}
	is.Updated = c.s.now()
	c.json(http.StatusOK, c.issueJSON(listed{Issue: *is}))
}

func (c *call) issueJSON(is listed) any {
	r := c.repo
	n := strconv.Itoa(is.Number)
	out := map[string]any{
		"id": 2000000 + is.Number, "url": r.apiURL("issues/" + n), "repository_url": r.s.Server.URL + "/repos/" + r.FullName,
		"html_url": r.htmlURL("issues/" + n), "number": is.Number, "state": is.State, "state_reason": nil,
		"title": is.Title, "body": is.Body, "user": c.s.user(is.Author), "labels": []any{},
		"assignee": nil, "assignees": c.s.users(is.Assignees), "milestone": nil, "locked": false, "active_lock_reason": nil,
		"comments": len(r.commentsOn(is.Number)), "created_at": timeJSON(is.Created), "updated_at": timeJSON(is.Updated), "closed_at": timeJSON(is.Closed),
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
