package source

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
)

// Source is a channel credits come from. A connector implements it; the
// framework does everything else (see the package comment).
type Source interface {
	// Name is the source's key under program.yaml's sources, the name of
	// its shards (credits/YYYY/MM/<name>.yaml) and of its state
	// (sources/<name>.yaml), and the first part of its credit ids.
	Name() string
	// Secrets are the environment variables its credentials come from.
	// Their values are masked in GitHub Actions and never printed.
	Secrets() []Secret
	// Open reads the settings of one run and says where the source
	// connects, with which credentials, and how it fetches. It sends
	// nothing: a bad setting stops every source before any request.
	Open(s Setup) (*Job, error)
}

// Secret is an environment variable a source reads a credential from.
type Secret struct {
	Env string
	// Optional secrets raise a limit or open private data; the source
	// runs without them.
	Optional bool
}

// Setup is what Open works with.
type Setup struct {
	// Settings are the source's entries in program.yaml's sources, in the
	// order written, and those the command line adds (--repo); none when
	// the source is not configured.
	Settings []ledger.SourceSettings
	// Ledger is the ledger as LoadLedger read it: program.yaml, and the
	// state of a source that keeps its own (Job.State).
	Ledger *ledger.Ledger
	// APIURL is --api-url: where requests go instead of the settings'
	// server (tests, GitHub Enterprise); empty for the settings' own.
	APIURL string
	// Getenv reads a setting the environment gives (GITHUB_API_URL); read
	// secrets with Secret.
	Getenv func(string) string
	// secrets are the source's; file is program.yaml's path as messages
	// name it.
	secrets []Secret
	file    string
}

// Secret is the value of one of the source's Secrets ("" when unset). A
// variable the source does not declare is never read, so that every
// secret is masked in GitHub Actions.
func (s Setup) Secret(env string) string {
	if !slices.ContainsFunc(s.secrets, func(sec Secret) bool { return sec.Env == env }) {
		panic("source: secret " + env + " is not declared in Secrets")
	}
	return s.Getenv(env)
}

// Errorf is an error about the setting written at p in program.yaml:
// "ledger/program.yaml:14:10: sources.discourse.url: ...".
func (s Setup) Errorf(p ledger.Pos, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if p.Line == 0 {
		return fmt.Errorf("%s", msg) // from the command line
	}
	return fmt.Errorf("%s:%d:%d: %s", s.file, p.Line, p.Col, msg)
}

// One returns the settings of a source that takes one set of them (not a
// list, as feeds): an error that shows how to write them when there are
// none, or several.
func (s Setup) One(name, example string) (ledger.SourceSettings, error) {
	switch {
	case len(s.Settings) == 0:
		return ledger.SourceSettings{}, fmt.Errorf("sources.%s: set it up in program.yaml: %s", name, example)
	case len(s.Settings) > 1:
		return ledger.SourceSettings{}, s.Errorf(s.Settings[1].Pos, "sources.%s: write one set of settings, %s, not a list", name, example)
	}
	return s.Settings[0], nil
}

// String returns the string setting key of e: an error, naming where to
// write it, when it is missing and required.
func (s Setup) String(e ledger.SourceSettings, key string, required bool) (string, error) {
	v, ok := e.Get(key)
	if ok && !v.IsList && strings.TrimSpace(v.Value) != "" {
		return strings.TrimSpace(v.Value), nil
	}
	if ok {
		return "", s.Errorf(v.Pos, "sources.%s.%s: write it as a string", e.Source, key)
	}
	if required {
		return "", s.Errorf(e.Pos, "sources.%s: %s is missing; add it to the source's settings in program.yaml", e.Source, key)
	}
	return "", nil
}

// List returns the list setting key of e (nil when it is not there).
func (s Setup) List(e ledger.SourceSettings, key string) ([]string, error) {
	v, ok := e.Get(key)
	if ok && !v.IsList {
		return nil, s.Errorf(v.Pos, "sources.%s.%s: write it as a list, [a, b]", e.Source, key)
	}
	return v.List, nil
}

// URL returns the http(s) URL setting key of e.
func (s Setup) URL(e ledger.SourceSettings, key string) (*url.URL, error) {
	raw, err := s.String(e, key, true)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v, _ := e.Get(key)
		return nil, s.Errorf(v.Pos, "sources.%s.%s: %q is not an http(s) URL such as https://forum.example.org", e.Source, key, raw)
	}
	return u, nil
}

// Server is where a source's requests go: --api-url when given, else its
// own server.
func (s Setup) Server(own *url.URL) (*url.URL, error) {
	if s.APIURL == "" {
		return own, nil
	}
	u, err := url.Parse(s.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("--api-url %q is not an http(s) URL", s.APIURL)
	}
	return u, nil
}

// Job is one run of a source, as Open sets it up.
type Job struct {
	// API is the root URL of the service; the credentials go to its
	// origin only (scheme, host and port), never to another.
	API string
	// Service names the API in messages: "the Discourse API".
	Service string
	// Credentials are the headers that authenticate, in the platform's
	// own form; Query those it takes as query parameters.
	Credentials http.Header
	Query       url.Values
	// Limit tells the API's rate limits from other answers (HTTP's 429
	// with Retry-After when nil); Pace reads waits it asks for in
	// answers that succeed.
	Limit httpc.Limit
	Pace  httpc.Pace
	// Streams name what the job reads (a repository, a forum, a feed), in
	// the order it reads them.
	Streams []string
	// Notes are said before the run (no token: a lower rate limit).
	Notes []string
	// Fetch reads every stream, handing what it finds to r as it goes.
	Fetch func(ctx context.Context, r *Run) error
	// State renders sources/<name>.yaml after the run, for a source that
	// keeps its own kind of state (GitHub): from the file's old text
	// (nil when there is none), nil when nothing moved. Without it the
	// run keeps the streams' marks (Run.Synced, Run.SetValidators).
	State func(old []byte) ([]byte, error)
}

// Item is a credit a source found, before the framework judges it.
type Item struct {
	// Credit is the credit, without its date: ID (<source>:...), Who
	// (platform:handle; an empty handle is a deleted account, never
	// credited), Kind, and URL, Title, Project, Facts as the source has
	// them.
	ledger.Credit
	// At is when it happened; its day in the program's time zone is the
	// credit's date.
	At time.Time
	// Bot says the platform knows the account for a bot.
	Bot bool
	// Name is the account's display name where the handle is a number
	// (Stack Exchange, Jira, Slack): shown beside it in the list of
	// handles no person owns, never written to the ledger.
	Name string
}

// Skip is a credit found but not written.
type Skip struct {
	ID, Kind, Who string
	Date          ledger.Date
	// Reason is "bot" or "kind" (the program does not define the kind on
	// that date).
	Reason string
}

// Progress is how far a run has got, for a progress line.
type Progress struct {
	Source, Stream, Stage string
	// Done of Total Unit ("3 of 10 pull requests"); Total is 0 when
	// unknown.
	Done, Total int
	Unit        string
}

// programFile is program.yaml's path under the ledger folder dir.
func programFile(dir string) string { return filepath.ToSlash(filepath.Join(dir, "program.yaml")) }
