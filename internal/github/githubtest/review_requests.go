package githubtest

import (
	"net/http"
	"slices"
	"strings"
)

// Requested returns who is asked to review a pull request now, in the
// order they were asked.
func (s *Server) Requested(number int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.talk.requested[number])
}

// Asked returns every review request made on a pull request, in order:
// a login asked twice shows twice.
func (s *Server) Asked(number int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.talk.asked[number])
}

// answered takes a reviewer off the requests, as GitHub does when they
// review.
func (t *talk) answered(number int, login string) {
	if t.requested == nil {
		return
	}
	t.requested[number] = slices.DeleteFunc(t.requested[number], func(l string) bool { return strings.EqualFold(l, login) })
}

func (s *Server) requestedReviewers(w http.ResponseWriter, r *http.Request, number string, body map[string]any) {
	p := s.findPull(number)
	if p == nil {
		notFound(w)
		return
	}
	if s.talk.requested == nil {
		s.talk.requested, s.talk.asked = map[int][]string{}, map[int][]string{}
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		raw, _ := body["reviewers"].([]any)
		var logins []string
		for _, v := range raw {
			login, _ := v.(string)
			logins = append(logins, login)
		}
		for _, l := range logins {
			switch {
			case strings.EqualFold(l, p.Author):
				invalid(w, "Review cannot be requested from pull request author.")
				return
			case s.talk.collaborators != nil && !slices.ContainsFunc(s.talk.collaborators, func(c string) bool { return strings.EqualFold(c, l) }):
				invalid(w, "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the "+s.Owner+"/"+s.Repo+" repository.")
				return
			}
		}
		for _, l := range logins {
			s.talk.asked[p.Number] = append(s.talk.asked[p.Number], l)
			if !slices.ContainsFunc(s.talk.requested[p.Number], func(c string) bool { return strings.EqualFold(c, l) }) {
				s.talk.requested[p.Number] = append(s.talk.requested[p.Number], l)
			}
		}
		writeJSON(w, http.StatusCreated, s.pullJSON(p))
		return
	default:
		notFound(w)
		return
	}
	users := []any{}
	for _, l := range s.talk.requested[p.Number] {
		users = append(users, userJSON(l))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "teams": []any{}})
}
