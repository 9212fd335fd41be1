// Package githubtest is a fake GitHub REST API for tests: an httptest
// server that keeps real state for any number of repositories: git
// objects (blobs, trees and commits hashed as git hashes them, so that
// trees made through the API match a local clone's), refs, pull requests,
// their reviews, files and commits, commit statuses, issues, comments,
// review requests and releases. Issues and pull requests share their
// numbers, as on GitHub.
//
// It answers as api.github.com does: lists are paged with Link headers
// whose links take the /repositories/{id}/... form, every answer carries
// the rate-limit headers, and a spent window is refused with a 403. The
// API is also served under /api/v3/, as GitHub Enterprise Server serves
// it. A test may answer any request itself (Fault), make the token
// read-only (SetReadOnly), and the requests are logged (Requests, Writes).
//
// As on GitHub, a commit made through the API is signed by GitHub for the
// token's owner, Bot, and committed by web-flow, while a pushed commit is
// unsigned and its author is whoever its e-mail address names.
//
// Each group of endpoints is in its own file, with a method that adds its
// routes; routes lists the groups.
package githubtest

import (
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// routes adds every group of endpoints.
func (s *Server) routes() {
	s.gitRoutes()
	s.commitRoutes()
	s.pullRoutes()
	s.reviewRoutes()
	s.reviewRequestRoutes()
	s.issueRoutes()
	s.commentRoutes()
	s.releaseRoutes()
}

// Server is the fake API. Its main repository, Owner/Repo, is embedded:
// the Repository methods called on the server act on it.
type Server struct {
	*httptest.Server
	*Repository
	Owner, Repo string
	// Token, when set, must be sent as a bearer token.
	Token string
	// PerPage is the default page size of lists (GitHub's is 30).
	PerPage int
	// Bot is the account the token belongs to, as GitHub shows it: the
	// author of what is made through the API (default github-actions[bot],
	// the workflow token's).
	Bot string
	// WebURL is the web site's root in the links the API gives
	// (default https://github.com).
	WebURL string
	// RateLimit is the requests a token may make an hour (default 5,000,
	// as for a user's token); requests without one may make 60.
	RateLimit int
	// Clock is the time the server keeps: of rate-limit windows, and of
	// what is made through the API. It starts at 2026-01-01T00:00:00Z.
	Clock *Clock
	// SinceExclusive makes the issues list's since leave out its own
	// instant, as GitHub's reference words it ("updated after"); by
	// default it is included.
	SinceExclusive bool
	// Fault, when set, may answer a request itself, before anything else
	// is done with it, by returning true; n is the request's number, from
	// 1. It runs without the server's lock, so it may change state.
	Fault func(w http.ResponseWriter, r *http.Request, n int) bool

	mux   *http.ServeMux
	mu    sync.Mutex
	repos []*Repository
	bots  map[string]bool
	// windows are the rate-limit windows, with and without a token.
	windows map[bool]*window
	// requests are "METHOD URI", in order; writes counts the requests that
	// changed state, by "METHOD route".
	requests []string
	writes   map[string]int
	// readOnly refuses every write, as GitHub does a read-only token's.
	readOnly bool
	// lastComment is the ID of the last comment made in any repository:
	// GitHub numbers comments across repositories.
	lastComment int64
}

// New starts a fake API whose main repository is owner/repo; it stops when
// the test ends.
func New(tb testing.TB, owner, repo string) *Server {
	s := &Server{
		Owner: owner, Repo: repo, PerPage: 30, Bot: "github-actions[bot]", WebURL: "https://github.com",
		RateLimit: 5000, Clock: NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		mux: http.NewServeMux(), bots: map[string]bool{}, windows: map[bool]*window{}, writes: map[string]int{},
	}
	s.Repository = s.In(owner + "/" + repo)
	s.routes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// In returns the repository owner/name, empty when first asked for.
// Names match without regard to case, as on GitHub.
func (s *Server) In(fullName string) *Repository {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.named(fullName); r != nil {
		return r
	}
	r := newRepository(s, fullName, 7000+len(s.repos))
	s.repos = append(s.repos, r)
	return r
}

// named is the repository owner/name, or nil.
func (s *Server) named(fullName string) *Repository {
	for _, r := range s.repos {
		if strings.EqualFold(r.FullName, fullName) {
			return r
		}
	}
	return nil
}

// numbered is the repository of an ID, or nil.
func (s *Server) numbered(id string) *Repository {
	for _, r := range s.repos {
		if strconv.Itoa(r.ID) == id {
			return r
		}
	}
	return nil
}

// SetReadOnly makes the token read-only, as a pull request from a fork
// gets it: every request that would change something is refused (403).
func (s *Server) SetReadOnly(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOnly = on
}

// SetClock sets the server's time to now's: a Clock that stands at it.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Clock = NewClock(now())
}

// MarkBot makes an account a bot (of type Bot) wherever the API shows it.
// Accounts whose login ends in [bot], as GitHub Apps' do, are bots already.
func (s *Server) MarkBot(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bots[strings.ToLower(login)] = true
}

// Requests returns the requests received so far, as "METHOD URI", faults
// and refusals included.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Writes returns how many requests changed state, by "METHOD route" such
// as "POST git/commits" or "PATCH pulls/N", and resets the count.
func (s *Server) Writes() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.writes
	s.writes = map[string]int{}
	return w
}

// enterprisePrefix is where GitHub Enterprise Server serves the API.
const enterprisePrefix = "/api/v3"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.RequestURI())
	n, fault := len(s.requests), s.Fault
	s.mu.Unlock()
	if fault != nil && fault(w, r, n) {
		return
	}
	auth := r.Header.Get("Authorization")
	if s.Token != "" && auth != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, message("Bad credentials"))
		return
	}
	if !s.spend(w, auth != "") {
		return
	}
	if strings.HasPrefix(r.URL.Path, enterprisePrefix+"/") {
		http.StripPrefix(enterprisePrefix, s.mux).ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// A call is one request to a repository's API, served under the server's
// lock.
type call struct {
	s    *Server
	repo *Repository
	w    http.ResponseWriter
	r    *http.Request
	// body is the request's JSON object (nil for a GET).
	body map[string]any
}

// route serves a repository's endpoint, "METHOD path" with the path after
// the repository, at both of the forms GitHub answers:
// /repos/{owner}/{repo}/path and /repositories/{id}/path.
func (s *Server) route(pattern string, h func(*call)) {
	method, p, _ := strings.Cut(pattern, " ")
	write := method + " " + writeName(p)
	serve := func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		c := &call{s: s, w: w, r: r}
		if id := r.PathValue("id"); id != "" {
			c.repo = s.numbered(id)
		} else {
			c.repo = s.named(r.PathValue("owner") + "/" + r.PathValue("repo"))
		}
		if c.repo == nil {
			notFound(w)
			return
		}
		if method != http.MethodGet {
			if s.readOnly {
				c.forbidden()
				return
			}
			s.writes[write]++
			if err := json.NewDecoder(r.Body).Decode(&c.body); err != nil && !errors.Is(err, io.EOF) {
				writeJSON(w, http.StatusBadRequest, message("Problems parsing JSON"))
				return
			}
		}
		h(c)
	}
	s.mux.HandleFunc(method+" /repos/{owner}/{repo}/"+p, serve)
	s.mux.HandleFunc(method+" /repositories/{id}/"+p, serve)
}

// writeName names a route by its fixed parts: a number is N, and a
// trailing variable is left out ("pulls/N", "git/refs", "statuses").
func writeName(p string) string {
	var parts []string
	for _, part := range strings.Split(p, "/") {
		switch {
		case part == "{number}":
			parts = append(parts, "N")
		case !strings.HasPrefix(part, "{"):
			parts = append(parts, part)
		}
	}
	return strings.Join(parts, "/")
}

func (c *call) json(status int, v any) { writeJSON(c.w, status, v) }

func (c *call) notFound() { notFound(c.w) }

// forbidden answers 403, as GitHub does a token that may not do what it
// asks.
func (c *call) forbidden() {
	writeJSON(c.w, http.StatusForbidden, message("Resource not accessible by integration"))
}

// invalid answers 422, as GitHub does to a request it cannot carry out.
func (c *call) invalid(msg string) {
	writeJSON(c.w, http.StatusUnprocessableEntity, message(msg))
}

// str is a string field of the request's body.
func (c *call) str(field string) string {
	v, _ := c.body[field].(string)
	return v
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func message(msg string) map[string]string {
	return map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"}
}

func notFound(w http.ResponseWriter) { writeJSON(w, http.StatusNotFound, message("Not Found")) }

// apiURL is the API's address of path in the repository.
func (r *Repository) apiURL(p string) string {
	return r.s.Server.URL + "/repos/" + r.FullName + "/" + p
}

// htmlURL is the web address of path in the repository.
func (r *Repository) htmlURL(p string) string {
	return r.s.WebURL + "/" + r.FullName + "/" + p
}

// user is an account as the API shows it, or null for none.
func (s *Server) user(login string) any {
	if login == "" {
		return nil
	}
	kind := "User"
	if strings.HasSuffix(login, "[bot]") || s.bots[strings.ToLower(login)] {
		kind = "Bot"
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(login)))
	return map[string]any{"login": login, "id": h.Sum32() % 100000000, "html_url": s.WebURL + "/" + login,
		"type": kind, "site_admin": false}
}

func (s *Server) users(logins []string) []any {
	out := []any{}
	for _, l := range logins {
		out = append(out, s.user(l))
	}
	return out
}

// timeJSON is a time as the API writes it, or null for none.
func timeJSON(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

// now is the server's time, in whole seconds as the API keeps it.
func (s *Server) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Second) }

// tick moves the clock a minute on and gives its time: a change the tests
// make one after another gets a time of its own.
func (s *Server) tick() time.Time {
	s.Clock.Advance(time.Minute)
	return s.now()
}
