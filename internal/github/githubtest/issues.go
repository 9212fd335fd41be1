package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// talk is the state of the conversation around the repository: issues,
// comments on issues and pull requests, and review requests. Issues and
// pull requests share their numbers, as on GitHub.
type talk struct {
	issues   []*Issue
	comments []*Comment
	// requested holds who is asked to review a pull request now; asked,
	// every request ever made, in order.
	requested, asked map[int][]string
	// collaborators, when set, are the only logins that may be asked.
	collaborators []string
	readOnly      bool
	now           func() time.Time
	lastComment   int64
}

// Issue is an issue (not a pull request).
type Issue struct {
	Number                     int
	Title, Body, State, Reason string
	Author                     string
	Created, Updated           time.Time
}

// Comment is a comment on an issue or a pull request.
type Comment struct {
	ID               int64
	Number           int
	Author, Body     string
	Created, Updated time.Time
}

// SetReadOnly makes the token read-only, as a pull request from a fork
// gets it: every request that would change something is refused (403).
func (s *Server) SetReadOnly(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.talk.readOnly = on
}

// SetClock sets the time the server stamps on issues and comments (the
// real clock until then).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.talk.now = now
}

// SetCollaborators makes logins the only accounts that may be asked to
// review (anyone may, until then).
func (s *Server) SetCollaborators(logins ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.talk.collaborators = logins
}

// refused answers a write with a read-only token as GitHub does.
func (s *Server) refused(w http.ResponseWriter, r *http.Request) bool {
	if !s.talk.readOnly || r.Method == http.MethodGet {
		return false
	}
	writeJSON(w, http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"})
	return true
}

func (t *talk) stamp() time.Time {
	if t.now == nil {
		return time.Now().UTC().Truncate(time.Second)
	}
	return t.now().UTC().Truncate(time.Second)
}

// nextNumber is the number of a new issue or pull request.
func (s *Server) nextNumber() int {
	n := 0
	for _, p := range s.pulls {
		n = max(n, p.Number)
	}
	for _, is := range s.talk.issues {
		n = max(n, is.Number)
	}
	return n + 1
}

// AddIssue opens an issue as author and returns its number.
func (s *Server) AddIssue(author, title, body string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := &Issue{Number: s.nextNumber(), Title: title, Body: body, State: "open", Author: author, Created: s.talk.stamp()}
	is.Updated = is.Created
	s.talk.issues = append(s.talk.issues, is)
	return is.Number
}

// CloseIssue closes an issue, as a person does.
func (s *Server) CloseIssue(number int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if is := s.findIssue(number); is != nil {
		is.State, is.Reason, is.Updated = "closed", "completed", s.talk.stamp()
	}
}

// Issues returns a copy of every issue, by number.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, len(s.talk.issues))
	for i, is := range s.talk.issues {
		out[i] = *is
	}
	return out
}

func (s *Server) findIssue(number int) *Issue {
	for _, is := range s.talk.issues {
		if is.Number == number {
			return is
		}
	}
	return nil
}

// issueJSON is an issue as the issues API shows it; a pull request shows
// there too, with a pull_request key.
func (s *Server) issueJSON(is *Issue) map[string]any {
	return map[string]any{
		"number": is.Number, "title": is.Title, "body": is.Body, "state": is.State, "state_reason": nullable(is.Reason),
		"url": s.url(fmt.Sprintf("issues/%d", is.Number)), "html_url": s.htmlURL(fmt.Sprintf("issues/%d", is.Number)),
		"user": userJSON(is.Author), "created_at": is.Created.Format(time.RFC3339), "updated_at": is.Updated.Format(time.RFC3339),
	}
}

func (s *Server) pullIssueJSON(p *Pull) map[string]any {
	j := s.pullJSON(p)
	j["pull_request"] = map[string]any{"url": j["url"], "html_url": j["html_url"]}
	j["url"] = s.url(fmt.Sprintf("issues/%d", p.Number))
	return j
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func userJSON(login string) map[string]any {
	kind := "User"
	if strings.HasSuffix(login, "[bot]") {
		kind = "Bot"
	}
	return map[string]any{"login": login, "type": kind}
}

// listIssues lists issues and pull requests as GitHub does: by state,
// updated since a time, sorted by creation (numbers are in that order) or
// by update. The fake keeps no times for pull requests: they count as
// updated now.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		var err error
		if since, err = time.Parse(time.RFC3339, v); err != nil {
			invalid(w, "Validation Failed: since is not an ISO 8601 time")
			return
		}
	}
	type entry struct {
		number  int
		updated time.Time
		json    map[string]any
	}
	var list []entry
	for _, is := range s.talk.issues {
		if (state == "all" || is.State == state) && !is.Updated.Before(since) {
			list = append(list, entry{is.Number, is.Updated, s.issueJSON(is)})
		}
	}
	for _, p := range s.pulls {
		if state == "all" || p.State == state {
			list = append(list, entry{p.Number, s.talk.stamp(), s.pullIssueJSON(p)})
		}
	}
	slices.SortFunc(list, func(a, b entry) int {
		if q.Get("sort") == "updated" {
			if c := a.updated.Compare(b.updated); c != 0 {
				return c
			}
		}
		return a.number - b.number
	})
	if q.Get("direction") != "asc" {
		slices.Reverse(list)
	}
	items := []any{}
	for _, e := range list {
		items = append(items, e.json)
	}
	s.page(w, r, items)
}

func (s *Server) createIssue(w http.ResponseWriter, body map[string]any) {
	title, _ := body["title"].(string)
	text, _ := body["body"].(string)
	switch {
	case strings.TrimSpace(title) == "":
		invalid(w, "Validation Failed: title is missing")
		return
	case tooLong(text):
		invalid(w, "Validation Failed: body is too long (maximum is 65536 characters)")
		return
	}
	is := &Issue{Number: s.nextNumber(), Title: title, Body: text, State: "open", Author: s.Bot, Created: s.talk.stamp()}
	is.Updated = is.Created
	s.talk.issues = append(s.talk.issues, is)
	writeJSON(w, http.StatusCreated, s.issueJSON(is))
}

// issue reads or edits issues/N. Pull requests are read here too, but
// edited through pulls/N.
func (s *Server) issue(w http.ResponseWriter, r *http.Request, number string, body map[string]any) {
	n, _ := strconv.Atoi(number)
	is := s.findIssue(n)
	if is == nil {
		if p := s.findPull(number); p != nil && r.Method == http.MethodGet {
			writeJSON(w, http.StatusOK, s.pullIssueJSON(p))
			return
		}
		notFound(w)
		return
	}
	if r.Method == http.MethodPatch {
		if v, ok := body["title"].(string); ok {
			is.Title = v
		}
		if v, ok := body["body"].(string); ok {
			if tooLong(v) {
				invalid(w, "Validation Failed: body is too long (maximum is 65536 characters)")
				return
			}
			is.Body = v
		}
		if v, ok := body["state"].(string); ok {
			if v != "open" && v != "closed" {
				invalid(w, "Validation Failed: state")
				return
			}
			is.State = v
			is.Reason, _ = body["state_reason"].(string)
		}
		is.Updated = s.talk.stamp()
	}
	writeJSON(w, http.StatusOK, s.issueJSON(is))
}

func tooLong(s string) bool { return len([]rune(s)) > 65536 }

// conversation serves the routes of issues, comments and review requests;
// it tells whether route was one of them.
func (s *Server) conversation(w http.ResponseWriter, r *http.Request, route string, body map[string]any) bool {
	parts := strings.Split(route, "/")
	switch {
	case r.Method == "GET" && route == "issues":
		s.listIssues(w, r)
	case r.Method == "POST" && route == "issues":
		s.createIssue(w, body)
	case len(parts) == 3 && parts[0] == "issues" && parts[1] == "comments":
		s.comment(w, r, parts[2], body)
	case (r.Method == "GET" || r.Method == "PATCH") && len(parts) == 2 && parts[0] == "issues":
		s.issue(w, r, parts[1], body)
	case r.Method == "GET" && len(parts) == 3 && parts[0] == "issues" && parts[2] == "comments":
		s.listComments(w, r, parts[1])
	case r.Method == "POST" && len(parts) == 3 && parts[0] == "issues" && parts[2] == "comments":
		s.createComment(w, parts[1], body)
	case len(parts) == 3 && parts[0] == "pulls" && parts[2] == "requested_reviewers":
		s.requestedReviewers(w, r, parts[1], body)
	default:
		return false
	}
	return true
}
