package githubtest

import (
	"fmt"
	"time"
)

// The reviews of pull requests.
func (s *Server) reviewRoutes() {
	s.route("GET pulls/{number}/reviews", (*call).listReviews)
}

// Review is a pull request review.
type Review struct {
	// ID is the review's number in its links.
	ID           int
	Login, State string
	// CommitID is the pull request's head when it was given, as GitHub
	// records it.
	CommitID string
	// Submitted is when it was given; zero for a PENDING one, which
	// GitHub shows without.
	Submitted time.Time
}

// AddReview adds a review (APPROVED, CHANGES_REQUESTED, COMMENTED,
// DISMISSED) to a pull request, after the ones before, on its head commit,
// now.
func (r *Repository) AddReview(number int, login, state string) {
	r.PutReview(number, Review{Login: login, State: state})
}

// PutReview adds a review to a pull request, after the ones before. A zero
// ID is the next one, an empty CommitID the pull request's head, and a
// zero Submitted now, but for a PENDING review.
func (r *Repository) PutReview(number int, rv Review) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if rv.ID == 0 {
		for _, rvs := range r.reviews {
			for _, o := range rvs {
				rv.ID = max(rv.ID, o.ID)
			}
		}
		rv.ID++
	}
	if p := r.pull(number); p != nil && rv.CommitID == "" {
		rv.CommitID = r.headSHA(p)
	}
	if rv.Submitted.IsZero() && rv.State != "PENDING" {
		rv.Submitted = r.s.now()
	}
	r.reviews[number] = append(r.reviews[number], rv)
	if rv.State != "PENDING" {
		r.unrequest(number, rv.Login) // as GitHub does once they review
	}
}

func (c *call) listReviews() {
	p := c.pathPull()
	if p == nil {
		return
	}
	r := c.repo
	page(c, r.reviews[p.Number], func(rv Review) any {
		out := map[string]any{
			"id": rv.ID, "user": c.s.user(rv.Login), "body": "", "state": rv.State, "commit_id": rv.CommitID,
			"html_url":         r.htmlURL(fmt.Sprintf("pull/%d#pullrequestreview-%d", p.Number, rv.ID)),
			"pull_request_url": r.apiURL(fmt.Sprintf("pulls/%d", p.Number)), "author_association": "MEMBER",
		}
		if !rv.Submitted.IsZero() {
			out["submitted_at"] = timeJSON(rv.Submitted)
		}
		return out
	})
}
