package githubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// AddComment comments on an issue or a pull request as author and returns
// the comment's id.
func (s *Server) AddComment(number int, author, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(number, author, body).ID
}

func (s *Server) addComment(number int, author, body string) *Comment {
	s.talk.lastComment++
	c := &Comment{ID: s.talk.lastComment, Number: number, Author: author, Body: body, Created: s.talk.stamp()}
	c.Updated = c.Created
	s.talk.comments = append(s.talk.comments, c)
	return c
}

// Comments returns a copy of the comments on an issue or a pull request,
// oldest first.
func (s *Server) Comments(number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.talk.comments {
		if c.Number == number {
			out = append(out, *c)
		}
	}
	return out
}

// exists tells whether an issue or a pull request has the number.
func (s *Server) exists(number string) (int, bool) {
	n, err := strconv.Atoi(number)
	return n, err == nil && (s.findIssue(n) != nil || s.findPull(number) != nil)
}

func (s *Server) commentJSON(c *Comment) map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body, "user": userJSON(c.Author),
		"url":        s.url(fmt.Sprintf("issues/comments/%d", c.ID)),
		"html_url":   s.htmlURL(fmt.Sprintf("issues/%d#issuecomment-%d", c.Number, c.ID)),
		"issue_url":  s.url(fmt.Sprintf("issues/%d", c.Number)),
		"created_at": c.Created.Format(time.RFC3339), "updated_at": c.Updated.Format(time.RFC3339),
	}
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request, number string) {
	n, ok := s.exists(number)
	if !ok {
		notFound(w)
		return
	}
	items := []any{}
	for _, c := range s.talk.comments {
		if c.Number == n {
			items = append(items, s.commentJSON(c))
		}
	}
	s.page(w, r, items)
}

func (s *Server) createComment(w http.ResponseWriter, number string, body map[string]any) {
	n, ok := s.exists(number)
	text, _ := body["body"].(string)
	switch {
	case !ok:
		notFound(w)
	case text == "":
		invalid(w, "Validation Failed: body is missing")
	case tooLong(text):
		invalid(w, "Validation Failed: body is too long (maximum is 65536 characters)")
	default:
		writeJSON(w, http.StatusCreated, s.commentJSON(s.addComment(n, s.Bot, text)))
	}
}

// comment reads, edits or deletes one comment. The token's owner may
// change only its own comments.
func (s *Server) comment(w http.ResponseWriter, r *http.Request, id string, body map[string]any) {
	n, _ := strconv.ParseInt(id, 10, 64)
	at := -1
	for i, c := range s.talk.comments {
		if c.ID == n {
			at = i
		}
	}
	if at < 0 {
		notFound(w)
		return
	}
	c := s.talk.comments[at]
	if r.Method != http.MethodGet && c.Author != s.Bot {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration"})
		return
	}
	switch r.Method {
	case http.MethodGet:
	case http.MethodPatch:
		text, _ := body["body"].(string)
		if tooLong(text) {
			invalid(w, "Validation Failed: body is too long (maximum is 65536 characters)")
			return
		}
		c.Body, c.Updated = text, s.talk.stamp()
	case http.MethodDelete:
		s.talk.comments = append(s.talk.comments[:at], s.talk.comments[at+1:]...)
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.commentJSON(c))
}
