package githubtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Clock is a clock that a client under test may share with the server:
// sleeping moves it on at once, and is recorded.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

// NewClock is a clock set at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *Clock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

// Advance moves the clock on without sleeping, as time passing between
// the changes a test makes.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Slept returns every sleep so far, in order.
func (c *Clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}

// anonymousLimit is the requests an hour GitHub allows without a token.
const anonymousLimit = 60

// A window is an hour's rate limit: the requests used, and when it resets.
type window struct {
	used  int
	reset time.Time
}

// window is the current window of requests with a token or without: the
// last one, or a new one an hour long once that has reset.
func (s *Server) window(authenticated bool) (w *window, limit int) {
	limit = s.RateLimit
	if !authenticated {
		limit = anonymousLimit
	}
	now := s.Clock.Now()
	w = s.windows[authenticated]
	if w == nil || !now.Before(w.reset) {
		w = &window{reset: now.Add(time.Hour).Truncate(time.Second)}
		s.windows[authenticated] = w
	}
	return w, limit
}

// spend counts a request in its window and writes the rate-limit headers,
// as GitHub does on every answer; a request beyond the limit is refused
// with GitHub's 403, and spend returns false.
func (s *Server) spend(w http.ResponseWriter, authenticated bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	win, limit := s.window(authenticated)
	spent := win.used >= limit
	if !spent {
		win.used++
	}
	rateHeaders(w.Header(), win, limit)
	if spent {
		who := "user ID 5001"
		if !authenticated {
			who = "127.0.0.1"
		}
		writeJSON(w, http.StatusForbidden, map[string]string{"message": "API rate limit exceeded for " + who + ".",
			"documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"})
	}
	return !spent
}

func rateHeaders(h http.Header, w *window, limit int) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-w.used, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(min(w.used, limit)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(w.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// Exhaust spends what is left of the current window of requests with a
// token, as another client with the same token does.
func (s *Server) Exhaust() {
	s.mu.Lock()
	defer s.mu.Unlock()
	win, limit := s.window(true)
	win.used = limit
}

// Faults, for Fault to answer with.

// SecondaryRateLimit answers as GitHub does a client that sends too much
// too fast: status 403 or 429, with Retry-After when retryAfter is not "",
// and GitHub's message.
func SecondaryRateLimit(w http.ResponseWriter, status int, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeJSON(w, status, map[string]string{
		"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
		"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
	})
}

// ServerError answers with a 5xx status and an HTML page, as GitHub's
// front end does when what is behind it fails.
func ServerError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", status, http.StatusText(status))
}

// Hangup closes the connection without an answer.
func Hangup(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

// CutShort sends a 200's headers, rate limits included, and the start of
// its body, then resets the connection: a body cut short.
func (s *Server) CutShort(w http.ResponseWriter, r *http.Request, start string) {
	h := http.Header{}
	s.mu.Lock()
	win, limit := s.window(r.Header.Get("Authorization") != "")
	rateHeaders(h, win, limit)
	s.mu.Unlock()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(start)+4000))
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err) // an httptest server can always be hijacked
	}
	buf.WriteString("HTTP/1.1 200 OK\r\n")
	h.Write(buf)
	buf.WriteString("\r\n" + start)
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close with a reset, not a clean end
	}
	conn.Close()
}
