package httpc

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

// StoppedError says a client stopped before its work was done, on
// purpose: a rate limit lifts later than the wait allowed, or the request
// budget is spent.
type StoppedError struct {
	// Service is the API's name, as in Config.
	Service string
	// Reason is "budget", or the rate limit's name as the Limit gave it.
	Reason string
	// Reset is when the rate limit lifts (zero for a budget).
	Reset time.Time
}

func (e *StoppedError) Error() string {
	switch {
	case e.Reason == "budget":
		return "the request budget is spent"
	case !e.Reset.IsZero():
		return fmt.Sprintf("%s %s is reached until %s", e.Service, e.Reason, e.Reset.UTC().Format(time.RFC3339))
	default:
		return fmt.Sprintf("%s %s is reached", e.Service, e.Reason)
	}
}

// RateLimit is an API's primary rate limit, as the X-RateLimit-Limit,
// -Remaining and -Reset (Unix seconds) headers of its last response told
// it.
type RateLimit struct {
	Limit, Remaining int
	Reset            time.Time
	Known            bool
}

// resetSlack: a reset is given to the second; be past it.
const resetSlack = time.Second

// Wait is how long until the window resets, seen at now.
func (r RateLimit) Wait(now time.Time) time.Duration {
	return max(r.Reset.Sub(now)+resetSlack, 0)
}

// A Limit tells whether a response says that a rate limit was reached,
// which one (the Reason of a StoppedError) and how long to wait before
// asking again. body is the whole body, rate the primary limit as known
// after this response, and tries the number of limits this request met
// before.
type Limit func(resp *http.Response, body []byte, rate RateLimit, now time.Time, tries int) (wait time.Duration, reason string, limited bool)

// Pacing is what an answer says about the requests after it.
type Pacing struct {
	// Wait is how long the next request must wait (Stack Exchange's
	// backoff); Reason names it when that is longer than the client may
	// wait.
	Wait   time.Duration
	Reason string
	// Spent says that no request may follow until a quota resets at a
	// time the API does not tell (Stack Exchange's daily quota): the
	// client stops with a *StoppedError naming Reason.
	Spent bool
	// Rate, when known, is the rate limit as the body tells it (Stack
	// Exchange's quota_remaining), for Stats.
	Rate RateLimit
}

// A Pace reads what an answer that is not a limit says about the requests
// after it.
type Pace func(resp *http.Response, body []byte, now time.Time) Pacing

// limitWait is how long to wait for a limit that names no time: a minute,
// longer each time.
const limitWait = time.Minute

// StandardLimit is HTTP's own: 429 Too Many Requests, waiting as its
// Retry-After says, or until the primary window resets when that is spent.
func StandardLimit(resp *http.Response, _ []byte, rate RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0, "", false
	}
	if wait, ok := RetryAfter(resp.Header, now); ok {
		return wait, "rate limit", true
	}
	if rate.Known && rate.Remaining == 0 {
		return rate.Wait(now), "rate limit", true
	}
	return limitWait << tries, "rate limit", true
}

// RetryAfter reads a Retry-After header, in seconds or as a date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	s := h.Get("Retry-After")
	if secs, err := strconv.Atoi(s); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(s); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// FaultRetries is how many times a request that met a server error or a
// broken connection is sent again, after faultBackoff, doubled each time.
const FaultRetries = 4

// How hard the governor tries before it gives up on a request.
const (
	faultBackoff = time.Second
	limitRetries = 5 // rate limits that do not lift after the wait
)

// governor is the policy every request of a Client goes through. It counts
// requests against the budget, reads the rate headers of every response,
// waits for a primary limit's reset when that is soon enough, waits as the
// Limit says on other limits, and retries server errors and broken
// connections (before or while the body comes, a stalled one included)
// with backoff. It reads every body whole, within the attempt's deadline,
// so that a caller never waits on one.
type governor struct {
	next    http.RoundTripper
	service string
	limit   Limit
	pace    Pace
	budget  int
	maxWait time.Duration
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error

	mu       sync.Mutex
	requests int
	rate     RateLimit
	waited   time.Duration
	stopped  *StoppedError
	// notBefore is when the next request may go, as a Pace said;
	// spent names the quota a Pace said is spent.
	notBefore time.Time
	paceWhy   string
	spent     string
}

func (g *governor) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	faults, limits := 0, 0
	for sent := false; ; sent = true {
		if err := g.admit(ctx); err != nil {
			return nil, err
		}
		send := req
		if sent {
			var err error
			if send, err = rewound(req); err != nil {
				return nil, err
			}
		}
		resp, err := g.next.RoundTrip(send)
		var rate RateLimit
		var body []byte
		if err == nil {
			rate = g.observe(resp)
			// A connection that breaks while the body comes is as broken
			// as one that breaks before the headers: read the body here,
			// where it can be asked for again.
			body, err = readBody(resp)
		}
		if err != nil {
			if ctx.Err() != nil || faults >= FaultRetries || !canResend(req) {
				return nil, err
			}
			if err := g.pause(ctx, faultBackoff<<faults); err != nil {
				return nil, err
			}
			faults++
			continue
		}

		if wait, reason, limited := g.limit(resp, body, rate, g.now(), limits); limited {
			if wait > g.maxWait || !canResend(req) || limits >= limitRetries {
				return nil, g.stop(&StoppedError{Service: g.service, Reason: reason, Reset: g.now().Add(wait)})
			}
			if err := g.pause(ctx, wait); err != nil {
				return nil, err
			}
			limits++
			continue
		}
		if resp.StatusCode >= 500 && faults < FaultRetries && canResend(req) {
			if err := g.pause(ctx, faultBackoff<<faults); err != nil {
				return nil, err
			}
			faults++
			continue
		}

		if g.pace != nil {
			g.paced(g.pace(resp, body, g.now()))
		}
		// The last request of the window: wait for the reset now when that
		// is soon enough, so that the next request need not fail first.
		if rate.Known && rate.Remaining == 0 {
			if wait := rate.Wait(g.now()); wait <= g.maxWait {
				if err := g.pause(ctx, wait); err != nil {
					return nil, err
				}
				// The window has reset while we waited: say so to the
				// caller (go-github refuses to send while it thinks
				// none is left).
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
func (g *governor) admit(ctx context.Context) error {
	g.mu.Lock()
	if g.stopped != nil {
		defer g.mu.Unlock()
		return g.stopped
	}
	if g.budget > 0 && g.requests >= g.budget {
		g.stopped = &StoppedError{Service: g.service, Reason: "budget"}
		defer g.mu.Unlock()
		return g.stopped
	}
	if g.spent != "" {
		g.stopped = &StoppedError{Service: g.service, Reason: g.spent}
		defer g.mu.Unlock()
		return g.stopped
	}
	rate, notBefore, why := g.rate, g.notBefore, g.paceWhy
	g.mu.Unlock()
	if wait := notBefore.Sub(g.now()); wait > 0 {
		if wait > g.maxWait {
			return g.stop(&StoppedError{Service: g.service, Reason: why, Reset: notBefore})
		}
		if err := g.pause(ctx, wait); err != nil {
			return err
		}
	}
	if rate.Known && rate.Remaining == 0 {
		if wait := rate.Wait(g.now()); wait > 0 {
			if wait > g.maxWait {
				return g.stop(&StoppedError{Service: g.service, Reason: "rate limit", Reset: rate.Reset})
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

// paced records what a Pace said.
func (g *governor) paced(p Pacing) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if p.Rate.Known {
		g.rate = p.Rate
	}
	if p.Wait > 0 {
		g.notBefore, g.paceWhy = g.now().Add(p.Wait), p.Reason
	}
	if p.Spent {
		g.spent = p.Reason
	}
}

// observe records the rate headers of a response.
func (g *governor) observe(resp *http.Response) RateLimit {
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

// stop ends the client's work: every later request is refused with the
// first reason given.
func (g *governor) stop(e *StoppedError) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped == nil {
		g.stopped = e
	}
	return g.stopped
}

// pause waits d, or until ctx ends.
func (g *governor) pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	g.mu.Lock()
	g.waited += d
	g.mu.Unlock()
	return g.sleep(ctx, d)
}

// canResend tells whether a request can be sent again: one without a
// body, or one that can give its body again (GetBody) and says, as
// net/http's Transport reads it, that it is safe to repeat with an
// Idempotency-Key header (set to nil, it is not sent). A GraphQL query is
// such a request; a request that changes something is not.
func canResend(req *http.Request) bool {
	if req.Body == nil || req.Body == http.NoBody {
		return true
	}
	_, idempotent := req.Header["Idempotency-Key"]
	return idempotent && req.GetBody != nil
}

// rewound is req with its body from the start again, to send it again.
func rewound(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.Body = body
	return out, nil
}

// readBody reads a response's body into memory and puts it back there.
func readBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}
