package httpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock records the waits instead of waiting.
type fakeClock struct {
	mu    sync.Mutex
	slept []time.Duration
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	return nil
}

func (c *fakeClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.slept)
}

// recorder is a server that keeps the headers of every request it gets.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []http.Header
}

func newRecorder(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *recorder {
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Header.Clone())
		n := len(rec.seen)
		rec.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (rec *recorder) Seen() []http.Header {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.seen)
}

var credentials = http.Header{"Authorization": {"Bearer s3cret"}, "Api-Key": {"k3y"}, "Api-Username": {"system"}}

// TestCredentialsStayHome: a redirect from the API to another origin (here
// another port of the same host, which net/http alone would still send
// Authorization to) carries none of the credentials, and neither does a
// request sent there directly, even with a credential set by the caller.
func TestCredentialsStayHome(t *testing.T) {
	other := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { fmt.Fprint(w, "elsewhere") })
	api := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		http.Redirect(w, r, other.URL+"/landing", http.StatusTemporaryRedirect)
	})
	c, err := New(Config{API: api.URL + "/api/", Credentials: credentials, Sleep: (&fakeClock{}).Sleep})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(api.URL + "/api/thing")
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(resp.Body); string(body) != "elsewhere" {
		t.Fatalf("the redirect was not followed: %q", body)
	}
	req, _ := http.NewRequest("GET", other.URL+"/direct", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	if _, err := c.Do(req); err != nil {
		t.Fatal(err)
	}

	if seen := api.Seen(); len(seen) != 1 || seen[0].Get("Authorization") != "Bearer s3cret" || seen[0].Get("Api-Key") != "k3y" {
		t.Errorf("the API got %v", seen)
	}
	for _, h := range other.Seen() {
		for k := range credentials {
			if h.Get(k) != "" {
				t.Errorf("another origin got %s: %q", k, h.Get(k))
			}
		}
	}
	if n := len(other.Seen()); n != 2 {
		t.Errorf("the other server got %d requests", n)
	}
}

func TestOrigin(t *testing.T) {
	same := [][2]string{
		{"https://api.example.com/v3/", "https://API.example.com:443/other"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/x"},
		{"https://[::1]/", "https://[::1]:443/"},
	}
	differ := [][2]string{
		{"https://api.example.com/", "http://api.example.com/"},
		{"https://api.example.com/", "https://api.example.com:8443/"},
		{"https://api.example.com/", "https://uploads.example.com/"},
		{"https://example.com/", "https://api.example.com/"},
	}
	for _, pairs := range []struct {
		cases [][2]string
		equal bool
	}{{same, true}, {differ, false}} {
		for _, c := range pairs.cases {
			a, _ := url.Parse(c[0])
			b, _ := url.Parse(c[1])
			if (origin(a) == origin(b)) != pairs.equal {
				t.Errorf("%s and %s: %s, %s", c[0], c[1], origin(a), origin(b))
			}
		}
	}
	if _, err := New(Config{Credentials: credentials}); err == nil {
		t.Error("credentials without the API they are for were taken")
	}
}

// TestStalledBodyTimesOut: a server that sends the headers and part of the
// body, then nothing, fails the request once the deadline passes, after
// the retries; so does one that never answers.
func TestStalledBodyTimesOut(t *testing.T) {
	for name, stall := range map[string]func(w http.ResponseWriter){
		"body": func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, `[{"number": 1,`)
			w.(http.Flusher).Flush()
		},
		"headers": func(w http.ResponseWriter) {},
	} {
		release := make(chan struct{})
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
			stall(w)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		clock := &fakeClock{}
		c, err := New(Config{API: srv.URL, Timeout: 50 * time.Millisecond, Sleep: clock.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Get(srv.URL + "/repos/acme/widget/pulls")
		close(release)
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("%s: %v, want ErrTimeout", name, err)
		}
		if n := len(srv.Seen()); n != 1+FaultRetries {
			t.Errorf("%s: %d attempts, want %d", name, n, 1+FaultRetries)
		}
		if got, want := clock.Slept(), []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}; !slices.Equal(got, want) {
			t.Errorf("%s: slept %v, want %v", name, got, want)
		}
	}
}

// TestCallerCancelIsNotRetried: a caller that gives up is the caller's
// business, not a fault to retry.
func TestCallerCancelIsNotRetried(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		cancel()
		<-r.Context().Done()
	})
	c, _ := New(Config{API: srv.URL, Sleep: (&fakeClock{}).Sleep})
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if _, err := c.Do(req); !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("%v, want the caller's cancellation", err)
	}
	if n := len(srv.Seen()); n != 1 {
		t.Errorf("%d attempts", n)
	}
}

// TestRetries: a server error is asked again after a backoff; a 429 waits
// as Retry-After says; a request with a body is never sent twice.
func TestRetries(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.URL.Path == "/once" && n == 1:
			w.WriteHeader(http.StatusBadGateway)
		case r.URL.Path == "/limited" && n == 3:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/post":
			w.WriteHeader(http.StatusBadGateway)
		default:
			fmt.Fprint(w, "ok")
		}
	})
	clock := &fakeClock{}
	c, _ := New(Config{API: srv.URL, Sleep: clock.Sleep})
	for _, path := range []string{"/once", "/limited"} {
		resp, err := c.Get(srv.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", path, resp, err)
		}
	}
	resp, err := c.Post(srv.URL+"/post", "text/plain", strings.NewReader("x"))
	if err != nil || resp.StatusCode != http.StatusBadGateway {
		t.Errorf("a POST: %v %v", resp, err)
	}
	if got, want := clock.Slept(), []time.Duration{time.Second, 7 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("slept %v, want %v", got, want)
	}
	if st := c.Stats(); st.Requests != 5 || st.Waited != 8*time.Second {
		t.Errorf("stats %+v", st)
	}
}

func TestStandardLimit(t *testing.T) {
	now := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	spent := RateLimit{Limit: 60, Remaining: 0, Reset: now.Add(time.Minute), Known: true}
	for _, c := range []struct {
		status  int
		after   string
		rate    RateLimit
		tries   int
		wait    time.Duration
		limited bool
	}{
		{429, "30", RateLimit{}, 0, 30 * time.Second, true},
		{429, now.Add(time.Hour).Format(http.TimeFormat), RateLimit{}, 0, time.Hour, true},
		{429, "", spent, 0, time.Minute + time.Second, true},
		{429, "", RateLimit{}, 2, 4 * time.Minute, true},
		{403, "30", RateLimit{}, 0, 0, false},
		{503, "30", RateLimit{}, 0, 0, false}, // a server error, retried as one
	} {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{}}
		if c.after != "" {
			resp.Header.Set("Retry-After", c.after)
		}
		wait, _, limited := StandardLimit(resp, nil, c.rate, now, c.tries)
		if wait != c.wait || limited != c.limited {
			t.Errorf("%d %q: %v %v, want %v %v", c.status, c.after, wait, limited, c.wait, c.limited)
		}
	}
}

// TestQueryCredentialsStayHome: a credential sent as a query parameter
// goes to the API's origin only, and never shows in an error.
func TestQueryCredentialsStayHome(t *testing.T) {
	var queries []string
	var mu sync.Mutex
	record := func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		queries = append(queries, r.Host+"?"+r.URL.RawQuery)
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { record(r) }))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		http.Redirect(w, r, other.URL+"/landing?page=2", http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	c, err := New(Config{API: api.URL, Query: url.Values{"key": {"k3y"}}, Sleep: (&fakeClock{}).Sleep})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Get(api.URL + "/2.3/questions?site=stackoverflow")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := c.Get(other.URL + "/direct"); err != nil {
		t.Fatal(err)
	}
	want := []string{strings.TrimPrefix(api.URL, "http://") + "?key=k3y&site=stackoverflow", strings.TrimPrefix(other.URL, "http://") + "?page=2", strings.TrimPrefix(other.URL, "http://") + "?"}
	if !slices.Equal(queries, want) {
		t.Errorf("queries = %q, want %q", queries, want)
	}
	api.Close()
	if _, err := c.Get(api.URL + "/2.3/questions"); err == nil || strings.Contains(err.Error(), "k3y") {
		t.Errorf("err = %v", err)
	}
}

// TestPace: a wait an answer asks for delays the next request, or stops
// the client when it is longer than MaxWait; a spent quota stops it.
func TestPace(t *testing.T) {
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { fmt.Fprint(w, r.URL.Query().Get("answer")) })
	clock := &fakeClock{}
	pace := func(resp *http.Response, body []byte, now time.Time) Pacing {
		switch string(body) {
		case "backoff":
			return Pacing{Wait: 10 * time.Second, Reason: "backoff"}
		case "long":
			return Pacing{Wait: time.Hour, Reason: "backoff"}
		case "spent":
			return Pacing{Spent: true, Reason: "daily quota", Rate: RateLimit{Limit: 300, Known: true}}
		}
		return Pacing{}
	}
	get := func(c *Client, answer string) error {
		resp, err := c.Get(srv.URL + "/?answer=" + answer)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	now := func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := New(Config{Pace: pace, MaxWait: time.Minute, Sleep: clock.Sleep, Now: now})
	if err := get(c, "backoff"); err != nil {
		t.Fatal(err)
	}
	if err := get(c, "long"); err != nil {
		t.Fatal(err)
	}
	var stop *StoppedError
	if err := get(c, ""); !errors.As(err, &stop) || stop.Reason != "backoff" || !stop.Reset.Equal(now().Add(time.Hour)) {
		t.Errorf("err = %v", err)
	}
	if slept := clock.Slept(); !slices.Equal(slept, []time.Duration{10 * time.Second}) || len(srv.Seen()) != 2 {
		t.Errorf("slept %v, %d requests", slept, len(srv.Seen()))
	}
	c, _ = New(Config{Pace: pace, Sleep: clock.Sleep, Now: now})
	if err := get(c, "spent"); err != nil {
		t.Fatal(err)
	}
	if err := get(c, ""); !errors.As(err, &stop) || stop.Reason != "daily quota" {
		t.Errorf("err = %v", err)
	}
	if st := c.Stats(); st.Requests != 1 || st.Rate.Limit != 300 || st.Rate.Remaining != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestIdempotentPostIsResent: a POST that says it may be repeated (a
// GraphQL query) is sent again, body and all, after a server error and a
// rate limit; the nil Idempotency-Key that says so never goes on the wire.
func TestIdempotentPostIsResent(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		switch n {
		case 1:
			w.WriteHeader(http.StatusBadGateway)
		case 2:
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			fmt.Fprint(w, "ok")
		}
	})
	clock := &fakeClock{}
	c, _ := New(Config{API: srv.URL, Sleep: clock.Sleep})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { login } }"}`))
	req.Header["Idempotency-Key"] = nil
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%v %v", resp, err)
	}
	want := `{"query":"{ viewer { login } }"}`
	if !slices.Equal(bodies, []string{want, want, want}) {
		t.Errorf("bodies %q", bodies)
	}
	for _, h := range srv.Seen() {
		if _, ok := h["Idempotency-Key"]; ok {
			t.Errorf("Idempotency-Key was sent: %v", h)
		}
	}
	if got := clock.Slept(); !slices.Equal(got, []time.Duration{time.Second, 3 * time.Second}) {
		t.Errorf("slept %v", got)
	}
}
