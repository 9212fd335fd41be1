package github

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/tallyledger/tally/internal/httpc"
)

// PublicAPI is the public GitHub REST API.
const PublicAPI = "https://api.github.com/"

// service names the API in errors.
const service = "the GitHub API"

// StoppedError says an ingestion stopped before it was complete, on
// purpose: the rate limit resets later than the wait allowed, or the
// request budget is spent. Everything fetched before it is kept, and the
// next run continues from there.
type StoppedError = httpc.StoppedError

// RateLimit is the API's primary rate limit as its last response told it.
type RateLimit = httpc.RateLimit

// ClientOptions say where a client reaches GitHub and how hard it tries.
type ClientOptions struct {
	// APIURL is the REST API's root: the public API when empty; GitHub
	// Enterprise Server's is https://HOST/api/v3/.
	APIURL string
	// Token authenticates (none when empty). It is sent in the
	// Authorization header to the API's own origin only, never logged.
	Token string
	// HTTPClient's Transport makes the connections (tests point it at a
	// fake server); nil for the default.
	HTTPClient *http.Client
	// Timeout bounds each attempt, headers and body (a minute when zero).
	Timeout time.Duration
	// MaxWait is the longest wait for a rate limit to lift: 15 minutes
	// when zero, no wait at all when negative.
	MaxWait time.Duration
	// Budget caps the number of requests (no cap when zero).
	Budget int
	// Now and Sleep are the clock (the real one when nil).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// NewClient returns a go-github client that keeps to o, through an
// httpc client: credentials for the API's origin only, a deadline on
// every attempt, and retries on server errors, broken connections and
// rate limits.
func NewClient(o ClientOptions) (*gh.Client, error) {
	c, _, err := newClient(o)
	return c, err
}

func newClient(o ClientOptions) (*gh.Client, *httpc.Client, error) {
	base, err := apiBase(o.APIURL)
	if err != nil {
		return nil, nil, err
	}
	credentials := http.Header{}
	if o.Token != "" {
		credentials.Set("Authorization", "Bearer "+o.Token)
	}
	var transport http.RoundTripper
	if o.HTTPClient != nil {
		transport = o.HTTPClient.Transport
	}
	hc, err := httpc.New(httpc.Config{
		API: base.String(), Credentials: credentials, Service: service,
		Timeout: o.Timeout, MaxWait: o.MaxWait, Budget: o.Budget, Limit: Limit,
		Transport: transport, Now: o.Now, Sleep: o.Sleep,
	})
	if err != nil {
		return nil, nil, err
	}
	c := gh.NewClient(hc.Client)
	c.BaseURL = base
	c.UserAgent = "tally"
	return c, hc, nil
}

// apiBase is the REST API's root URL, PublicAPI when apiURL is empty.
func apiBase(apiURL string) (*url.URL, error) {
	if apiURL == "" {
		apiURL = PublicAPI
	}
	base, err := url.Parse(apiURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("API URL %q is not an http(s) URL such as %s or https://github.example.com/api/v3/", apiURL, PublicAPI)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/" // go-github resolves paths against the folder
	}
	return base, nil
}

// secondaryWait is how long to wait when GitHub says to wait but not for
// how long: a minute, longer each time.
const secondaryWait = time.Minute

// Limit is GitHub's rate limits, its REST API's and the GraphQL API's
// alike: a 403 or 429 is the primary limit when none is left in the
// window; a secondary limit when it says how long to wait (Retry-After),
// is a 429, or says so in its body; else it is a permission error, for the
// caller to report.
func Limit(resp *http.Response, body []byte, rate RateLimit, now time.Time, tries int) (time.Duration, string, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, "", false
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" && rate.Known {
		return rate.Wait(now), "rate limit", true
	}
	if wait, ok := httpc.RetryAfter(resp.Header, now); ok {
		return wait, "secondary rate limit", true
	}
	if resp.StatusCode == http.StatusTooManyRequests || bytes.Contains(bytes.ToLower(body), []byte("secondary rate limit")) {
		return secondaryWait << tries, "secondary rate limit", true
	}
	return 0, "", false
}
