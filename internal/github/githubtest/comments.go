package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Comments on issues and pull requests.
func (s *Server) commentRoutes() {
	s.route("GET issues/{number}/comments", (*call).listComments)
	s.route("POST issues/{number}/comments", (*call).createComment)
	// GET issues/comments/{comment_id} would overlap GET
	// issues/{number}/comments at issues/comments/comments, which the mux
	// refuses; this more general pattern takes what the other leaves.
	s.route("GET issues/{comments}/{comment_id}", (*call).getComment)
	s.route("PATCH issues/comments/{comment_id}", (*call).updateComment)
	s.route("DELETE issues/comments/{comment_id}", (*call).deleteComment)
}

// Comment is a comment on an issue or a pull request.
type Comment struct {
	ID int64
	// Number is the issue's or the pull request's.
	Number           int
	Author, Body     string
	Created, Updated time.Time
}

// AddComment comments on an issue or a pull request as author, now, and
// returns the comment's ID.
func (r *Repository) AddComment(number int, author, body string) int64 {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.addComment(number, author, body).ID
}

func (r *Repository) addComment(number int, author, body string) *Comment {
	r.s.lastComment++
	now := r.s.now()
	cm := &Comment{ID: r.s.lastComment, Number: number, Author: author, Body: body, Created: now, Updated: now}
	r.comments = append(r.comments, cm)
	return cm
}

// Comments returns a copy of the comments on an issue or a pull request,
// oldest first.
func (r *Repository) Comments(number int) []Comment {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return copies(r.commentsOn(number))
}

func (r *Repository) commentsOn(number int) []*Comment {
	var out []*Comment
	for _, cm := range r.comments {
		if cm.Number == number {
			out = append(out, cm)
		}
	}
	return out
}

func (c *call) commentJSON(cm *Comment) any {
	r := c.repo
	return map[string]any{
		"id": cm.ID, "body": cm.Body, "user": c.s.user(cm.Author), "author_association": "NONE",
		"url":        r.apiURL(fmt.Sprintf("issues/comments/%d", cm.ID)),
		"html_url":   r.htmlURL(fmt.Sprintf("issues/%d#issuecomment-%d", cm.Number, cm.ID)),
		"issue_url":  r.apiURL(fmt.Sprintf("issues/%d", cm.Number)),
		"created_at": timeJSON(cm.Created), "updated_at": timeJSON(cm.Updated),
	}
}

func (c *call) listComments() {
	if is, ok := c.pathIssue(); ok {
		page(c, c.repo.commentsOn(is.Number), c.commentJSON)
	}
}

func (c *call) createComment() {
	is, ok := c.pathIssue()
	switch text := c.str("body"); {
	case !ok:
	case text == "":
		c.invalid("Validation Failed: body is missing")
	case c.longBody(text):
	default:
		c.json(http.StatusCreated, c.commentJSON(c.repo.addComment(is.Number, c.s.Bot, text)))
	}
}

// pathComment is the index of the comment the request's path names, or
// -1 after answering: 404, or 403 to a change of someone else's comment.
func (c *call) pathComment() int {
	id, err := strconv.ParseInt(c.r.PathValue("comment_id"), 10, 64)
	i := slices.IndexFunc(c.repo.comments, func(cm *Comment) bool { return cm.ID == id })
	switch {
	case err != nil || i < 0 || c.r.PathValue("comments") != "" && c.r.PathValue("comments") != "comments":
		c.notFound()
		return -1
	case c.r.Method != http.MethodGet && c.repo.comments[i].Author != c.s.Bot:
		c.forbidden()
		return -1
	}
	return i
}

func (c *call) getComment() {
	if i := c.pathComment(); i >= 0 {
		c.json(http.StatusOK, c.commentJSON(c.repo.comments[i]))
	}
}

func (c *call) updateComment() {
	i := c.pathComment()
	if i < 0 {
		return
	}
	text := c.str("body")
	if c.longBody(text) {
		return
	}
	cm := c.repo.comments[i]
	cm.Body, cm.Updated = text, c.s.now()
	c.json(http.StatusOK, c.commentJSON(cm))
}

func (c *call) deleteComment() {
	if i := c.pathComment(); i >= 0 {
		c.repo.comments = slices.Delete(c.repo.comments, i, i+1)
		c.w.WriteHeader(http.StatusNoContent)
	}
}
