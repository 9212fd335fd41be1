package githubtest

import (
	"net/http"
	"slices"
)

// A repository's commits and their statuses.
func (s *Server) commitRoutes() {
	s.route("GET commits/{ref}", (*call).getRepoCommit)
	s.route("GET commits/{ref}/statuses", (*call).listStatuses)
	s.route("POST statuses/{sha}", (*call).createStatus)
}

// Status is a commit status, with the account that set it.
type Status struct {
	Context, State, Description, Creator string
}

// AddStatus sets a status on a commit as someone else does, Creator
// being the account that sets it.
func (r *Repository) AddStatus(sha string, st Status) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.statuses[sha] = append(r.statuses[sha], st)
}

// Statuses returns the statuses of a commit, oldest first.
func (r *Repository) Statuses(sha string) []Status {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return slices.Clone(r.statuses[sha])
}

// repoCommitJSON is a commit as the repository's commits API shows it:
// with the accounts of its author and committer, and GitHub's verdict on
// its signature.
func (r *Repository) repoCommitJSON(c *Commit) map[string]any {
	parents := []map[string]any{}
	for _, p := range c.Parents {
		parents = append(parents, map[string]any{"sha": p, "url": r.apiURL("commits/" + p)})
	}
	return map[string]any{
		"sha": c.SHA, "url": r.apiURL("commits/" + c.SHA), "html_url": r.htmlURL("commit/" + c.SHA),
		"commit": map[string]any{
			"message":      c.Message,
			"tree":         map[string]any{"sha": c.Tree, "url": r.apiURL("git/trees/" + c.Tree)},
			"verification": verification(c),
		},
		"author": r.s.user(c.Author), "committer": r.s.user(c.Committer), "parents": parents,
	}
}

// resolve is the commit a ref names: a branch's head, or the commit itself.
func (r *Repository) resolve(ref string) string {
	if head := r.refs["heads/"+ref]; head != "" {
		return head
	}
	return ref
}

func (c *call) getRepoCommit() {
	ref := c.r.PathValue("ref")
	cm := c.repo.commits[c.repo.resolve(ref)]
	if cm == nil {
		c.invalid("No commit found for SHA: " + ref)
		return
	}
	c.json(http.StatusOK, c.repo.repoCommitJSON(cm))
}

func (c *call) createStatus() {
	sha := c.r.PathValue("sha")
	st := Status{Creator: c.s.Bot, State: c.str("state"), Context: c.str("context"), Description: c.str("description")}
	if st.Context == "" {
		st.Context = "default"
	}
	switch {
	case c.repo.commits[sha] == nil:
		c.invalid("No commit found for SHA: " + sha)
	case st.State != "error" && st.State != "failure" && st.State != "pending" && st.State != "success":
		c.invalid("Validation Failed: state")
	default:
		c.repo.statuses[sha] = append(c.repo.statuses[sha], st)
		c.json(http.StatusCreated, c.statusJSON(st))
	}
}

func (c *call) statusJSON(st Status) any {
	return map[string]any{"state": st.State, "context": st.Context, "description": st.Description,
		"creator": c.s.user(st.Creator)}
}

// listStatuses lists the statuses of a commit (or a branch's head), newest
// first, as GitHub does.
func (c *call) listStatuses() {
	all := slices.Clone(c.repo.statuses[c.repo.resolve(c.r.PathValue("ref"))])
	slices.Reverse(all)
	page(c, all, c.statusJSON)
}
