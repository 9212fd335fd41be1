package githubtest

import (
	"net/http"
	"slices"
	"strings"
)

// Who is asked to review pull requests. A review takes its reviewer off
// (PutReview).
func (s *Server) reviewRequestRoutes() {
	s.route("GET pulls/{number}/requested_reviewers", (*call).listRequested)
	s.route("POST pulls/{number}/requested_reviewers", (*call).requestReviewers)
	s.route("DELETE pulls/{number}/requested_reviewers", (*call).removeRequested)
}

// SetCollaborators makes logins the only accounts that may be asked to
// review (anyone may, until then).
func (r *Repository) SetCollaborators(logins ...string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.collaborators = logins
}

// Requested returns who is asked to review a pull request now, in the
// order they were asked.
func (r *Repository) Requested(number int) []string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return slices.Clone(r.requested[number])
}

// Asked returns every review request made on a pull request, in order:
// a login asked twice shows twice.
func (r *Repository) Asked(number int) []string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return slices.Clone(r.asked[number])
}

// unrequest takes logins off a pull request's review requests.
func (r *Repository) unrequest(number int, logins ...string) {
	r.requested[number] = slices.DeleteFunc(r.requested[number], func(l string) bool {
		return hasLogin(logins, l)
	})
}

// hasLogin tells whether login is among logins, which match without
// regard to case, as on GitHub.
func hasLogin(logins []string, login string) bool {
	return slices.ContainsFunc(logins, func(l string) bool { return strings.EqualFold(l, login) })
}

// reviewers are the logins of the request's body.
func (c *call) reviewers() []string {
	raw, _ := c.body["reviewers"].([]any)
	var logins []string
	for _, v := range raw {
		if l, ok := v.(string); ok {
			logins = append(logins, l)
		}
	}
	return logins
}

func (c *call) listRequested() {
	if p := c.pathPull(); p != nil {
		c.json(http.StatusOK, map[string]any{"users": c.s.users(c.repo.requested[p.Number]), "teams": []any{}})
	}
}

// requestReviewers asks reviewers as GitHub does: all of them, or none
// when it refuses one (the author, or one who is not a collaborator).
func (c *call) requestReviewers() {
	p := c.pathPull()
	if p == nil {
		return
	}
	r := c.repo
	logins := c.reviewers()
	for _, l := range logins {
		switch {
		case strings.EqualFold(l, p.Author):
			c.invalid("Review cannot be requested from pull request author.")
			return
		case r.collaborators != nil && !hasLogin(r.collaborators, l):
			c.invalid("Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the " + r.FullName + " repository.")
			return
		}
	}
	for _, l := range logins {
		r.asked[p.Number] = append(r.asked[p.Number], l)
		if !hasLogin(r.requested[p.Number], l) {
			r.requested[p.Number] = append(r.requested[p.Number], l)
		}
	}
	c.writePull(http.StatusCreated, p)
}

func (c *call) removeRequested() {
	if p := c.pathPull(); p != nil {
		c.repo.unrequest(p.Number, c.reviewers()...)
		c.writePull(http.StatusOK, p)
	}
}
