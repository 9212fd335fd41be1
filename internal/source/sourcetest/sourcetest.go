// Package sourcetest helps test a connector: a ledger in a temporary
// folder, a fake server that records what it is asked, and a run of the
// connector through the framework as tally ingest makes it.
package sourcetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/source"
)

// Ledger writes a ledger into a new temporary folder: program.yaml, then
// files (slash path -> text). It returns the folder.
func Ledger(tb testing.TB, program string, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	Write(tb, dir, "program.yaml", program)
	for p, text := range files {
		Write(tb, dir, p, text)
	}
	return dir
}

// Write writes a file of the ledger at dir.
func Write(tb testing.TB, dir, p, text string) {
	tb.Helper()
	path := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Read returns a file of the ledger at dir ("" when there is none).
func Read(tb testing.TB, dir, p string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
	return string(data)
}

// Request is a request the server was sent.
type Request struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// Server is a fake API: it records each request, then answers it with
// its handler.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
}

// NewServer starts a fake API; it stops when the test ends.
func NewServer(tb testing.TB, h http.HandlerFunc) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body)) // for the handler too
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(body)})
		s.mu.Unlock()
		h(w, r)
	}))
	tb.Cleanup(s.Close)
	return s
}

// Requests are the requests sent so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count is how many requests were sent so far.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Where lists where secret appeared in the requests sent so far: "header
// NAME", "query", "path" or "body", once each.
func (s *Server) Where(secret string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, r := range s.Requests() {
		for k, vs := range r.Header {
			if strings.Contains(strings.Join(vs, "\n"), secret) {
				add("header " + k)
			}
		}
		if strings.Contains(r.Query, secret) {
			add("query")
		}
		if strings.Contains(r.Path, secret) {
			add("path")
		}
		if strings.Contains(r.Body, secret) {
			add("body")
		}
	}
	return out
}

// Options of a test run; zero values are a plain run.
type Options struct {
	Since, Until time.Time
	APIURL       string
	Budget       int
	// MaxWait is the longest wait for a rate limit (default: an hour);
	// waits pass at once on the run's clock, which starts at Now.
	MaxWait time.Duration
	Env     map[string]string
	Now     time.Time
}

// Clock is the fake clock of a run: sleeping moves it on.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// Ingest runs src on the ledger at dir, with the settings program.yaml
// gives it, as tally ingest SOURCE does, and returns its result.
func Ingest(tb testing.TB, dir string, src source.Source, o Options) source.Result {
	tb.Helper()
	res, err := ingest(tb, dir, src, o)
	if err != nil {
		tb.Fatal(err)
	}
	return res[0]
}

// SetupError is the error that keeps src from running on the ledger at
// dir, before any request (nil when it runs).
func SetupError(tb testing.TB, dir string, src source.Source, o Options) error {
	tb.Helper()
	_, err := ingest(tb, dir, src, o)
	return err
}

func ingest(tb testing.TB, dir string, src source.Source, o Options) ([]source.Result, error) {
	l, err := source.LoadLedger(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if o.Now.IsZero() {
		o.Now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	}
	if o.MaxWait == 0 {
		o.MaxWait = time.Hour
	}
	clock := &Clock{now: o.Now}
	plan := source.Planned{Source: src}
	for _, e := range l.Program.Sources {
		if e.Source == src.Name() {
			plan.Settings = append(plan.Settings, e)
		}
	}
	return source.Ingest(context.Background(), source.Options{
		Dir: dir, Ledger: l, Since: o.Since, Until: o.Until, APIURL: o.APIURL, Budget: o.Budget, MaxWait: o.MaxWait,
		Getenv: func(k string) string { return o.Env[k] }, Now: clock.Now, Sleep: clock.Sleep,
	}, []source.Planned{plan})
}

// WriteJSON answers with v as JSON, as the APIs do.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Continued runs src with o, which sets a Budget, again and again until a
// run is not stopped, as someone runs the command again after exit 3. It
// returns the ids of the credits all the runs wrote, sorted; a run stopped
// for another reason than the budget, or more than max runs, fails the
// test.
func Continued(tb testing.TB, dir string, src source.Source, o Options, max int) []string {
	tb.Helper()
	var ids []string
	for run := 1; ; run++ {
		res := Ingest(tb, dir, src, o)
		ids = append(ids, IDs(res)...)
		if res.Err == nil {
			break
		}
		if stop, ok := errors.AsType[*httpc.StoppedError](res.Err); !ok || stop.Reason != "budget" || run == max {
			tb.Fatalf("run %d: %v", run, res.Err)
		}
	}
	slices.Sort(ids)
	return ids
}

// IDs are the ids of the credits a run wrote, sorted.
func IDs(res source.Result) []string {
	var ids []string
	for _, c := range res.Credits {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids
}
