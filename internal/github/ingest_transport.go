package github

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// StoppedError says an ingestion stopped before it was complete, on
// purpose: the rate limit resets later than the wait allowed, or the
// request budget is spent. Everything fetched before it is kept, and the
// next run continues from there.
type StoppedError struct {
	// Reason is "rate limit", "secondary rate limit" or "budget".
	Reason string
	// Reset is when the rate limit resets (zero for a budget).
	Reset time.Time
}

func (e *StoppedError) Error() string {
	switch {
	case e.Reason == "budget":
		return "the request budget is spent"
	case !e.Reset.IsZero():
		return fmt.Sprintf("the GitHub API %s is reached until %s", e.Reason, e.Reset.UTC().Format(time.RFC3339))
	default:
		return fmt.Sprintf("the GitHub API %s is reached", e.Reason)
	}
}

// RateLimit is the API's primary rate limit as its last response told it.
type RateLimit struct {
	Limit, Remaining int
	Reset            time.Time
	Known            bool
}

// How hard the governor tries before it gives up on a request.
const (
	faultRetries   = 4                // 5xx and connection errors
	faultBackoff   = time.Second      // doubled at each retry
	limitRetries   = 5                // rate limits that do not lift after the wait
	secondaryWait  = time.Minute      // when GitHub says to wait but not for how long
	resetSlack     = time.Second      // GitHub's reset is a whole second; be past it
	maxErrorBody   = 64 << 10         // read of a 403's body, to tell its cause
	defaultMaxWait = 15 * time.Minute // for callers that leave MaxWait zero
	// responseTimeout bounds the wait for a response's headers.
	responseTimeout = time.Minute
)

// rateGovernor is the http.RoundTripper every ingestion request goes
// through. It counts requests against the budget, reads the rate headers
// of every response, waits for a primary limit's reset when that is soon
// enough, honours Retry-After on secondary limits (403 and 429 alike) and
// retries server errors and broken connections (before or while the body
// comes) with backoff. Doing this below go-github keeps every API call of
// the ingestion a plain call.
type rateGovernor struct {
	next    http.RoundTripper
	budget  int // 0: no cap
	maxWait time.Duration
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error

	mu       sync.Mutex
	requests int
	rate     RateLimit
	waited   time.Duration
	stopped  *StoppedError
}

func (g *rateGovernor) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	faults, limits := 0, 0
	for {
		if err := g.admit(ctx); err != nil {
			return nil, err
		}
		resp, err := g.next.RoundTrip(req)
		var rate RateLimit
		if err == nil {
			rate = g.observe(resp)
			// A connection that breaks while the body comes is as broken
			// as one that breaks before the headers: read the body here,
			// where it can be asked for again.
			err = readWholeBody(resp)
		}
		if err != nil {
			if ctx.Err() != nil || faults >= faultRetries || !canResend(req) {
				return nil, err
			}
			if err := g.pause(ctx, faultBackoff<<faults); err != nil {
				return nil, err
			}
			faults++
			continue
		}

		switch {
		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
			wait, reason, limited := g.limitWait(resp, rate, limits)
			if !limited {
				return resp, nil // a permission error, for go-github to report
			}
			if wait > g.maxWait || !canResend(req) || limits >= limitRetries {
				discardBody(resp)
				return nil, g.stop(&StoppedError{Reason: reason, Reset: g.now().Add(wait)})
			}
			discardBody(resp)
			if err := g.pause(ctx, wait); err != nil {
				return nil, err
			}
			limits++
			continue
		case resp.StatusCode >= 500 && faults < faultRetries && canResend(req):
			discardBody(resp)
			if err := g.pause(ctx, faultBackoff<<faults); err != nil {
				return nil, err
			}
			faults++
			continue
		}

		// The last request of the window: wait for the reset now when that
		// is soon enough, so that the next request need not fail first.
		if rate.Known && rate.Remaining == 0 {
			if wait := rate.Reset.Sub(g.now()) + resetSlack; wait <= g.maxWait {
				if err := g.pause(ctx, wait); err != nil {
					resp.Body.Close()
					return nil, err
				}
				// The window has reset while we waited.
				resp.Header.Set("X-RateLimit-Remaining", strconv.Itoa(rate.Limit))
				g.mu.Lock()
				g.rate.Remaining = rate.Limit
				g.mu.Unlock()
			}
		}
		return resp, nil
	}
}

// admit lets a request go, or says why it may not: the budget is spent,
// or the rate limit is known to be exhausted beyond the wait allowed.
func (g *rateGovernor) admit(ctx context.Context) error {
	g.mu.Lock()
	if g.stopped != nil {
		defer g.mu.Unlock()
		return g.stopped
	}
	if g.budget > 0 && g.requests >= g.budget {
		g.stopped = &StoppedError{Reason: "budget"}
		defer g.mu.Unlock()
		return g.stopped
	}
	rate := g.rate
	g.mu.Unlock()
	if rate.Known && rate.Remaining == 0 {
		if wait := rate.Reset.Sub(g.now()) + resetSlack; wait > 0 {
			if wait > g.maxWait {
				return g.stop(&StoppedError{Reason: "rate limit", Reset: rate.Reset})
			}
			if err := g.pause(ctx, wait); err != nil {
				return err
			}
		}
	}
	g.mu.Lock()
	g.requests++
	g.mu.Unlock()
	return nil
}

// limitWait tells whether a 403 or 429 is a rate limit, which one, and how
// long to wait before asking again.
func (g *rateGovernor) limitWait(resp *http.Response, rate RateLimit, secondary int) (time.Duration, string, bool) {
	if resp.Header.Get("X-RateLimit-Remaining") == "0" && rate.Known {
		return max(rate.Reset.Sub(g.now())+resetSlack, 0), "rate limit", true
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if secs, err := strconv.Atoi(s); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second, "secondary rate limit", true
		}
		if t, err := http.ParseTime(s); err == nil {
			return max(t.Sub(g.now()), 0), "secondary rate limit", true
		}
	}
	// GitHub documents a secondary limit without Retry-After too: wait at
	// least a minute, longer each time.
	if resp.StatusCode == http.StatusTooManyRequests || mentionsSecondaryLimit(resp) {
		return secondaryWait << secondary, "secondary rate limit", true
	}
	return 0, "", false
}

// mentionsSecondaryLimit reads a 403's body to tell a secondary limit from
// a permission error, and puts the body back for go-github.
func mentionsSecondaryLimit(resp *http.Response) bool {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return bytes.Contains(bytes.ToLower(body), []byte("secondary rate limit"))
}

// observe records the rate headers of a response.
func (g *rateGovernor) observe(resp *http.Response) RateLimit {
	h := resp.Header
	limit, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	g.mu.Lock()
	defer g.mu.Unlock()
	if err1 == nil && err2 == nil && err3 == nil {
		g.rate = RateLimit{Limit: limit, Remaining: remaining, Reset: time.Unix(reset, 0).UTC(), Known: true}
	}
	return g.rate
}

// stop ends the run: every later request is refused with the first
// reason given.
func (g *rateGovernor) stop(e *StoppedError) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped == nil {
		g.stopped = e
	}
	return g.stopped
}

// pause waits d, or until ctx ends.
func (g *rateGovernor) pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	g.mu.Lock()
	g.waited += d
	g.mu.Unlock()
	return g.sleep(ctx, d)
}

// stats returns the requests sent, the last rate seen and the time spent
// waiting.
func (g *rateGovernor) stats() (int, RateLimit, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests, g.rate, g.waited
}

// canResend tells whether a request can be sent again.
func canResend(req *http.Request) bool { return req.Body == nil || req.Body == http.NoBody }

// readWholeBody reads a response's body into memory, for go-github to
// decode from there.
func readWholeBody(resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

func discardBody(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}

// sleepOrDone is the real clock's wait.
func sleepOrDone(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
