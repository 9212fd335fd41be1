package githubtest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Pull requests, their files and their commits.
func (s *Server) pullRoutes() {
	s.route("GET pulls", (*call).listPulls)
	s.route("POST pulls", (*call).createPull)
	s.route("GET pulls/{number}", (*call).getPull)
	s.route("PATCH pulls/{number}", (*call).updatePull)
	s.route("GET pulls/{number}/files", (*call).listFiles)
	s.route("GET pulls/{number}/commits", (*call).listPullCommits)
}

// Pull is a pull request.
type Pull struct {
	Number int
	// State is "open" or "closed".
	State, Title, Body string
	Head, Base         string
	// HeadSHA is the head commit of a pull request whose branch the
	// server does not hold (set by Push); else the branch's ref is.
	HeadSHA          string
	Author           string
	MaintainerCanMod bool
	Assignees        []string
	// Created, Updated, Closed and Merged are when it was opened, last
	// changed, closed and merged; zero for never. PutPull sets a zero
	// Created or Updated to the server's time, and a zero Closed of a
	// closed one to Merged, else Updated.
	Created, Updated, Closed, Merged time.Time
}

// AddPull opens a pull request from head into base, now, and returns its
// number.
func (r *Repository) AddPull(author, head, base string, files ...string) int {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	p := r.putPull(Pull{Number: r.nextNumber(), State: "open", Title: "Pull request", Head: head, Base: base, Author: author})
	r.files[p.Number] = files
	return p.Number
}

// PutPull stores a pull request as given, replacing any of its number.
func (r *Repository) PutPull(p Pull) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.putPull(p)
}

func (r *Repository) putPull(p Pull) *Pull {
	now := r.s.now()
	if p.Created.IsZero() {
		p.Created = now
	}
	if p.Updated.IsZero() {
		p.Updated = p.Created
	}
	if p.State == "closed" && p.Closed.IsZero() {
		p.Closed = p.Merged
		if p.Closed.IsZero() {
			p.Closed = p.Updated
		}
	}
	stored := &p
	r.pulls = slices.DeleteFunc(r.pulls, func(q *Pull) bool { return q.Number == p.Number })
	i, _ := slices.BinarySearchFunc(r.pulls, p.Number, func(q *Pull, n int) int { return q.Number - n })
	r.pulls = slices.Insert(r.pulls, i, stored)
	return stored
}

// nextNumber is the number GitHub gives the next pull request or issue:
// they share one sequence.
func (r *Repository) nextNumber() int {
	n := 0
	for _, p := range r.pulls {
		n = max(n, p.Number)
	}
	for _, is := range r.issues {
		n = max(n, is.Number)
	}
	return n + 1
}

// Merge merges a pull request, as a maintainer does, a minute after the
// server's last change, so that each change has a time of its own.
func (r *Repository) Merge(number int) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if p := r.pull(number); p != nil {
		now := r.s.tick()
		p.State, p.Merged, p.Closed, p.Updated = "closed", now, now, now
	}
}

// touch records that the open pull requests from branch changed, as
// GitHub does when their branch moves.
func (r *Repository) touch(branch string) {
	for _, p := range r.pulls {
		if p.State == "open" && p.Head == branch {
			p.Updated = r.s.tick()
		}
	}
}

// Push moves a pull request's head to a commit, as pushing to its branch
// does, for branches the server does not hold.
func (r *Repository) Push(number int, sha string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if p := r.pull(number); p != nil {
		p.HeadSHA = sha
	}
}

// Pulls returns a copy of every pull request, by number.
func (r *Repository) Pulls() []Pull {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return copies(r.pulls)
}

// copies is a copy of what each of ps points to.
func copies[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func (r *Repository) pull(number int) *Pull {
	i, ok := slices.BinarySearchFunc(r.pulls, number, func(q *Pull, n int) int { return q.Number - n })
	if !ok {
		return nil
	}
	return r.pulls[i]
}

func (r *Repository) headSHA(p *Pull) string {
	if p.HeadSHA != "" {
		return p.HeadSHA
	}
	return r.refs["heads/"+p.Head]
}

// pathPull is the pull request the request's path names, or nil after
// answering 404.
func (c *call) pathPull() *Pull {
	n, err := strconv.Atoi(c.r.PathValue("number"))
	p := c.repo.pull(n)
	if err != nil || p == nil {
		c.notFound()
		return nil
	}
	return p
}

func (r *Repository) repoJSON() map[string]any {
	owner, name, _ := strings.Cut(r.FullName, "/")
	return map[string]any{"id": r.ID, "name": name, "full_name": r.FullName, "owner": r.s.user(owner),
		"html_url": r.s.WebURL + "/" + r.FullName, "url": r.s.Server.URL + "/repos/" + r.FullName}
}

// pullJSON is a pull request as lists show it.
func (c *call) pullJSON(p *Pull) any {
	r := c.repo
	owner, _, _ := strings.Cut(r.FullName, "/")
	branch := func(ref, sha string) map[string]any {
		return map[string]any{"label": owner + ":" + ref, "ref": ref, "sha": sha, "user": c.s.user(owner), "repo": r.repoJSON()}
	}
	n := strconv.Itoa(p.Number)
	out := map[string]any{
		"url": r.apiURL("pulls/" + n), "id": 1000000 + p.Number, "number": p.Number,
		"html_url": r.htmlURL("pull/" + n), "diff_url": r.htmlURL("pull/" + n + ".diff"), "patch_url": r.htmlURL("pull/" + n + ".patch"),
		"issue_url": r.apiURL("issues/" + n), "state": p.State, "locked": false, "title": p.Title, "user": c.s.user(p.Author), "body": p.Body,
		"labels": []any{}, "milestone": nil, "active_lock_reason": nil,
		"created_at": timeJSON(p.Created), "updated_at": timeJSON(p.Updated), "closed_at": timeJSON(p.Closed), "merged_at": timeJSON(p.Merged),
		"merge_commit_sha": nil, "assignee": nil, "assignees": c.s.users(p.Assignees), "requested_reviewers": c.s.users(r.requested[p.Number]), "requested_teams": []any{},
		"head": branch(p.Head, r.headSHA(p)), "base": branch(p.Base, r.refs["heads/"+p.Base]),
		"author_association": "CONTRIBUTOR", "auto_merge": nil, "draft": false,
	}
	if len(p.Assignees) > 0 {
		out["assignee"] = c.s.user(p.Assignees[0])
	}
	return out
}

// writePull answers with one pull request, as GitHub shows it alone:
// with more than lists show.
func (c *call) writePull(status int, p *Pull) {
	out := c.pullJSON(p).(map[string]any)
	out["maintainer_can_modify"] = p.MaintainerCanMod
	out["merged"] = !p.Merged.IsZero()
	c.json(status, out)
}

func (c *call) listPulls() {
	q := c.r.URL.Query()
	state := cmp.Or(q.Get("state"), "open")
	var items []*Pull
	for _, p := range c.repo.pulls {
		if (state != "all" && p.State != state) ||
			(q.Get("head") != "" && !strings.EqualFold(q.Get("head"), strings.Split(c.repo.FullName, "/")[0]+":"+p.Head)) ||
			(q.Get("base") != "" && q.Get("base") != p.Base) {
			continue
		}
		items = append(items, p)
	}
	if !sortByTime(c, items, true, func(p *Pull) (time.Time, time.Time, int) { return p.Created, p.Updated, p.Number }) {
		return
	}
	page(c, items, c.pullJSON)
}

func (c *call) createPull() {
	r := c.repo
	owner, _, _ := strings.Cut(r.FullName, "/")
	head := strings.TrimPrefix(c.str("head"), owner+":")
	base, title, text := c.str("base"), c.str("title"), c.str("body")
	switch {
	case title == "":
		c.invalid("Validation Failed: title is missing")
		return
	case r.refs["heads/"+head] == "" || r.refs["heads/"+base] == "":
		c.invalid("Validation Failed: head or base is not a branch")
		return
	case c.longBody(text):
		return
	}
	for _, p := range r.pulls {
		if p.State == "open" && p.Head == head && p.Base == base {
			c.invalid("Validation Failed: A pull request already exists for " + owner + ":" + head + ".")
			return
		}
	}
	mcm, _ := c.body["maintainer_can_modify"].(bool)
	p := r.putPull(Pull{Number: r.nextNumber(), State: "open", Title: title, Body: text, Head: head, Base: base, Author: c.s.Bot, MaintainerCanMod: mcm})
	c.writePull(http.StatusCreated, p)
}

// maxBody is the longest body GitHub takes, in characters.
const maxBody = 65536

// longBody answers 422 and returns true when text is longer than GitHub
// takes.
func (c *call) longBody(text string) bool {
	if len([]rune(text)) <= maxBody {
		return false
	}
	c.invalid("Validation Failed: body is too long (maximum is 65536 characters)")
	return true
}

// edit changes what a PATCH of an issue or a pull request asks: its
// title, body and state (closed, now, when it is closed). It answers 422,
// changing nothing, and returns false when it cannot.
func (c *call) edit(title, body, state *string, closed *time.Time) bool {
	newBody, setBody := c.body["body"].(string)
	newState, setState := c.body["state"].(string)
	switch {
	case setBody && c.longBody(newBody):
		return false
	case setState && newState != "open" && newState != "closed":
		c.invalid("Validation Failed: state")
		return false
	}
	if v, ok := c.body["title"].(string); ok {
		*title = v
	}
	if setBody {
		*body = newBody
	}
	if setState {
		switch {
		case newState == "open":
			*closed = time.Time{}
		case *state != "closed":
			*closed = c.s.now()
		}
		*state = newState
	}
	return true
}

func (c *call) getPull() {
	if p := c.pathPull(); p != nil {
		c.writePull(http.StatusOK, p)
	}
}

func (c *call) updatePull() {
	p := c.pathPull()
	if p == nil {
		return
	}
	if !c.edit(&p.Title, &p.Body, &p.State, &p.Closed) {
		return
	}
	p.Updated = c.s.now()
	c.writePull(http.StatusOK, p)
}

func (c *call) listFiles() {
	p := c.pathPull()
	if p == nil {
		return
	}
	page(c, c.repo.files[p.Number], func(f string) any { return map[string]any{"filename": f, "status": "modified"} })
}

// listPullCommits lists the commits of a pull request as GitHub does: those
// its head has that its base branch does not, oldest first.
func (c *call) listPullCommits() {
	p := c.pathPull()
	if p == nil {
		return
	}
	r := c.repo
	inBase := map[string]bool{}
	var mark func(sha string)
	mark = func(sha string) {
		if cm := r.commits[sha]; cm != nil && !inBase[sha] {
			inBase[sha] = true
			for _, parent := range cm.Parents {
				mark(parent)
			}
		}
	}
	mark(r.refs["heads/"+p.Base])
	var items []*Commit
	seen := map[string]bool{}
	var walk func(sha string)
	walk = func(sha string) {
		cm := r.commits[sha]
		if cm == nil || inBase[sha] || seen[sha] {
			return
		}
		seen[sha] = true
		for _, parent := range cm.Parents {
			walk(parent)
		}
		items = append(items, cm)
	}
	walk(r.headSHA(p))
	page(c, items, func(cm *Commit) any { return r.repoCommitJSON(cm) })
}

// sortByTime orders a list as its sort and direction parameters ask: by
// creation (the default) or by last update; newest first by default,
// but oldest first by update when ascByUpdate (as for pull requests);
// ties go by number likewise. It answers 422 and returns false for
// another sort.
func sortByTime[T any](c *call, items []T, ascByUpdate bool, key func(T) (created, updated time.Time, number int)) bool {
	q := c.r.URL.Query()
	byUpdate := false
	switch q.Get("sort") {
	case "", "created":
	case "updated":
		byUpdate = true
	default:
		c.invalid(fmt.Sprintf("Validation Failed: the fake cannot sort by %q", q.Get("sort")))
		return false
	}
	desc := q.Get("direction") == "desc" || q.Get("direction") == "" && !(byUpdate && ascByUpdate)
	slices.SortStableFunc(items, func(a, b T) int {
		ca, ua, na := key(a)
		cb, ub, nb := key(b)
		ta, tb := ca, cb
		if byUpdate {
			ta, tb = ua, ub
		}
		d := ta.Compare(tb)
		if d == 0 {
			d = na - nb
		}
		if desc {
			return -d
		}
		return d
	})
	return true
}
