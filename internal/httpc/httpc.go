// Package httpc makes the HTTP clients with which tally's sources and its
// Action talk to web APIs, all alike: credentials go only to the API's own
// origin, never along a redirect to another; every attempt has a deadline
// that covers its body, so a server that stalls cannot hold a run; and
// server errors, broken connections and rate limits are retried by one
// policy (see Config).
package httpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for a Config's zero values.
const (
	DefaultTimeout = time.Minute      // one attempt, headers and body
	DefaultMaxWait = 15 * time.Minute // for a rate limit to lift
)

// Config says where a client may send credentials and how hard it tries.
type Config struct {
	// API is the service's root URL. Credentials are sent only to its
	// origin: the same scheme, host and port.
	API string
	// Credentials are the headers that authenticate (Authorization,
	// Api-Key, ...): set on every request to the API's origin, removed
	// from a request to any other.
	Credentials http.Header
	// Query holds credentials an API takes as query parameters (Stack
	// Exchange's key): added to every request to the API's origin only.
	Query url.Values
	// Service names the API in errors: "the GitHub API".
	Service string
	// Timeout bounds each attempt, from sending the request to the last
	// byte of its body (DefaultTimeout when zero).
	Timeout time.Duration
	// MaxWait is the longest wait for a rate limit to lift before the
	// client stops with a *StoppedError (DefaultMaxWait when zero, no wait
	// at all when negative).
	MaxWait time.Duration
	// Budget caps the number of requests (no cap when zero).
	Budget int
	// Limit tells a rate limit from other answers (StandardLimit when
	// nil).
	Limit Limit
	// Pace reads what an answer says about the requests after it, such
	// as a wait the API asks for (nil: only the rate headers).
	Pace Pace
	// Transport makes the connections (http.DefaultTransport when nil).
	Transport http.RoundTripper
	// Now and Sleep are the clock (the real one when nil).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// Client is an *http.Client that keeps to its Config.
type Client struct {
	*http.Client
	gov *governor
}

// Stats say what a client did.
type Stats struct {
	Requests int
	// Rate is the primary rate limit as the last response told it.
	Rate   RateLimit
	Waited time.Duration
}

// New makes a client that keeps to c.
func New(c Config) (*Client, error) {
	var home string
	if c.API != "" {
		u, err := url.Parse(c.API)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("API URL %q is not an http(s) URL", c.API)
		}
		home = origin(u)
	} else if len(c.Credentials) > 0 || len(c.Query) > 0 {
		return nil, errors.New("credentials need the API URL they are for")
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	strip := []string{"Authorization", "Cookie"}
	for k := range c.Credentials {
		strip = append(strip, k)
	}
	g := &governor{
		next:    &attempt{next: next, home: home, credentials: c.Credentials, query: c.Query, strip: strip, timeout: c.Timeout},
		service: c.Service,
		limit:   c.Limit,
		pace:    c.Pace,
		budget:  c.Budget,
		maxWait: c.MaxWait,
		now:     c.Now,
		sleep:   c.Sleep,
	}
	switch {
	case g.maxWait == 0:
		g.maxWait = DefaultMaxWait
	case g.maxWait < 0:
		g.maxWait = 0
	}
	if g.limit == nil {
		g.limit = StandardLimit
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.sleep == nil {
		g.sleep = sleepOrDone
	}
	return &Client{Client: &http.Client{Transport: g}, gov: g}, nil
}

// Stats says what the client did so far.
func (c *Client) Stats() Stats {
	c.gov.mu.Lock()
	defer c.gov.mu.Unlock()
	return Stats{Requests: c.gov.requests, Rate: c.gov.rate, Waited: c.gov.waited}
}

// origin is a URL's scheme, host and port, the default port spelt out.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
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
