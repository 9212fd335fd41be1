package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
)

// Run is one source's run, as its Fetch sees it: the client to send
// requests with, where each stream's reading begins, and where to hand
// what it finds. Fetch calls Begin for each stream, Found for each credit
// it finds, and Synced (or SetValidators) once everything up to a point
// is found; what a run found and synced is written at its end, credits
// first, so that a run stopped anywhere loses nothing and writes nothing
// twice.
type Run struct {
	// Client sends the job's requests: credentials to the API's origin
	// only, a deadline on every attempt, retries, rate limits and the
	// budget. Its errors stop the run; return them from Fetch as they are
	// or wrapped with %w.
	Client *http.Client

	source       string
	hc           *httpc.Client
	col          *Collector
	since, until time.Time
	old, synced  []ledger.StreamState
	// reached is the last point each stream was synced to in this run,
	// behind its mark or not; back has the streams read with StartBack.
	reached map[string]time.Time
	back    map[string]bool
	reports []StreamReport
	// open is set while the last report's stream is read; requests is the
	// client's count when it began.
	open     bool
	requests int
	progress func(Progress)
}

// StreamReport is what a run did in one stream.
type StreamReport struct {
	Key string
	// What it read and Detail, as the source says it: "12 solved topics
	// read", "pull requests 1, reviews 1, issues 1, releases 1".
	What, Detail string
	Requests     int
	// Complete is false when the run stopped before the stream's end.
	Complete bool
}

// Begin starts the stream key: what follows counts for it.
func (r *Run) Begin(key string) {
	r.end(true)
	r.reports = append(r.reports, StreamReport{Key: key})
	r.open, r.requests = true, r.hc.Stats().Requests
	r.Progress("", 0, 0, "")
}

// end closes the current stream's report. A stream left unfinished
// resumes where it got to; a finished one from its mark.
func (r *Run) end(complete bool) {
	if !r.open {
		return
	}
	cur := &r.reports[len(r.reports)-1]
	cur.Requests, cur.Complete = r.hc.Stats().Requests-r.requests, complete
	r.open = false
	st := r.stream(cur.Key)
	at, moved := r.reached[strings.ToLower(cur.Key)]
	if !complete && !moved {
		return // nothing read: as the ledger has it
	}
	resume := ""
	if !complete && r.back[strings.ToLower(cur.Key)] {
		resume = at.UTC().Format(time.RFC3339)
	}
	if st.Resume != resume {
		st.Resume = resume
		r.save(st)
	}
}

// Say says what the current stream read, for the summary.
func (r *Run) Say(what, detail string) {
	if len(r.reports) > 0 {
		r.reports[len(r.reports)-1].What, r.reports[len(r.reports)-1].Detail = what, detail
	}
}

// Found hands over a credit found.
func (r *Run) Found(it Item) { r.col.Add(it) }

// Held tells whether the ledger holds the credit id already, or this run
// found it: a source need not ask for its details again.
func (r *Run) Held(id string) bool { return r.col.Held(id) }

// HeldUnder tells whether the ledger holds a credit whose id starts with
// prefix (see Collector.HeldUnder).
func (r *Run) HeldUnder(prefix string) bool { return r.col.HeldUnder(prefix) }

// Since and Until are the window the command line asked for (zero: none).
// Items outside it are dropped whatever Fetch hands over; Until also
// says where a listing in time order may stop.
func (r *Run) Since() time.Time { return r.since }
func (r *Run) Until() time.Time { return r.until }

// Start is where reading the stream key begins: --since, else where the
// last run got to (zero: from the beginning).
func (r *Run) Start(key string) time.Time {
	start, _ := Window(r.since, r.stream(key).Synced)
	return start
}

// StartBack is Start moved back by d when it is a mark: for items that
// can change without their time moving (a solution accepted after the
// post that bumped its topic), read again a while before where the last
// run got to. After a run that stopped early, it is where that run got
// to, which read that while already. --since says where to begin exactly.
func (r *Run) StartBack(key string, d time.Duration) time.Time {
	start := r.Start(key)
	if start.IsZero() || !r.since.IsZero() {
		return start
	}
	if r.back == nil {
		r.back = map[string]bool{}
	}
	r.back[strings.ToLower(key)] = true
	if resume, err := time.Parse(time.RFC3339, r.stream(key).Resume); err == nil {
		return resume
	}
	return start.Add(-d)
}

// Synced says that everything of the stream key up to t has been found:
// its mark moves to t, never back, and not at all when --since starts
// after the mark (the time between was not read).
func (r *Run) Synced(key string, t time.Time) {
	st := r.stream(key)
	if _, movable := Window(r.since, st.Synced); movable && !t.IsZero() {
		st.Synced = Advance(st.Synced, t)
		r.save(st)
		if r.reached == nil {
			r.reached = map[string]time.Time{}
		}
		r.reached[strings.ToLower(key)] = t
	}
}

// Validators are the HTTP validators of the stream's last complete read,
// for a conditional request; none with --since, which asks for
// everything again.
func (r *Run) Validators(key string) (etag, lastModified string) {
	if !r.since.IsZero() {
		return "", ""
	}
	st := r.stream(key)
	return st.ETag, st.LastModified
}

// SetValidators records the validators of a complete read of the stream.
func (r *Run) SetValidators(key, etag, lastModified string) {
	st := r.stream(key)
	st.ETag, st.LastModified = etag, lastModified
	r.save(st)
}

// Progress says how far the current stream has got, for the progress
// line on a terminal: done of total unit, total 0 when unknown.
func (r *Run) Progress(stage string, done, total int, unit string) {
	if r.progress == nil {
		return
	}
	p := Progress{Source: r.source, Stage: stage, Done: done, Total: total, Unit: unit}
	if len(r.reports) > 0 {
		p.Stream = r.reports[len(r.reports)-1].Key
	}
	r.progress(p)
}

// stream is the stream key as this run left it, else as the ledger has it.
func (r *Run) stream(key string) ledger.StreamState {
	for _, list := range [][]ledger.StreamState{r.synced, r.old} {
		if i := slices.IndexFunc(list, func(s ledger.StreamState) bool { return strings.EqualFold(s.Key, key) }); i >= 0 {
			st := list[i]
			st.Key = key
			return st
		}
	}
	return ledger.StreamState{Key: key}
}

func (r *Run) save(st ledger.StreamState) {
	if i := slices.IndexFunc(r.synced, func(s ledger.StreamState) bool { return strings.EqualFold(s.Key, st.Key) }); i >= 0 {
		r.synced[i] = st
		return
	}
	r.synced = append(r.synced, st)
}

// state renders the streams' state file after the run.
func (r *Run) state(old []byte) ([]byte, error) {
	merged := mergeStreams(r.old, r.synced)
	if slices.Equal(merged, r.old) {
		return nil, nil
	}
	return renderStreams(old, merged)
}

// Options say how a run of ingestion works.
type Options struct {
	// Dir is the ledger folder and Ledger what LoadLedger read from it.
	Dir    string
	Ledger *ledger.Ledger
	// Since and Until bound the window (zero: from each stream's mark; to
	// now).
	Since, Until time.Time
	// APIURL is --api-url, for a run of one source.
	APIURL string
	// Budget caps the requests of the whole run (no cap when zero);
	// MaxWait is the longest wait for a rate limit (see httpc.Config).
	Budget  int
	MaxWait time.Duration
	// Getenv reads the environment (secrets, GITHUB_API_URL).
	Getenv func(string) string
	// Transport makes the connections, Timeout bounds each attempt, Now
	// and Sleep are the clock (defaults when zero).
	Transport http.RoundTripper
	Timeout   time.Duration
	Now       func() time.Time
	Sleep     func(context.Context, time.Duration) error
	// Progress, when set, hears how far each run has got.
	Progress func(Progress)
}

// Planned is a source with its settings, for Ingest.
type Planned struct {
	Source   Source
	Settings []ledger.SourceSettings
}

// Result is what one source's run did. It is always consistent, even
// when the run stopped early: Credits holds everything found, and the
// state moves only as far as everything before it was found.
type Result struct {
	Source string
	Notes  []string
	// Streams are the streams begun, NotReached those the run stopped
	// before.
	Streams    []StreamReport
	NotReached []string
	// Credits were written, sorted by date, then id; Present counts those
	// found that the ledger held already; Skipped are those not written.
	Credits []ledger.Credit
	Present int
	Skipped []Skip
	// Unowned are the handles no person owns among the credits written,
	// by who.
	Unowned map[string]Handle
	Written Written
	Stats   httpc.Stats
	// Err is nil, a *httpc.StoppedError when the run stopped early on
	// purpose (rate limit, budget), or what failed. What was found before
	// it is written all the same.
	Err error
}

// Ingest opens every planned source, then runs each in turn and writes
// what it found before the next begins. It returns an error, before any
// request, when a source cannot be opened (a bad setting) or the window
// is wrong; a source that fails or stops does not keep the others from
// running, except that a spent budget or a cancelled context stops them
// all.
func Ingest(ctx context.Context, o Options, plan []Planned) ([]Result, error) {
	if !o.Since.IsZero() && !o.Until.IsZero() && o.Until.Before(o.Since) {
		return nil, errors.New("the window ends before it starts: until is before since")
	}
	getenv := func(name string) string {
		if o.Getenv == nil {
			return ""
		}
		return strings.TrimSpace(o.Getenv(name))
	}
	jobs := make([]*Job, len(plan))
	for i, p := range plan {
		job, err := p.Source.Open(Setup{
			Settings: p.Settings, Ledger: o.Ledger, APIURL: o.APIURL,
			Getenv: getenv, secrets: p.Source.Secrets(), file: programFile(o.Dir),
		})
		if err != nil {
			return nil, err
		}
		jobs[i] = job
	}
	var results []Result
	used := 0
	for i, p := range plan {
		res := run(ctx, o, p.Source.Name(), jobs[i], o.Budget-used)
		used += res.Stats.Requests
		results = append(results, res)
		var stop *httpc.StoppedError
		if ctx.Err() != nil || errors.As(res.Err, &stop) && stop.Reason == "budget" {
			for j, q := range plan[i+1:] {
				results = append(results, Result{Source: q.Source.Name(), NotReached: jobs[i+1+j].Streams, Err: res.Err})
			}
			break
		}
	}
	return results, nil
}

// run runs one job and writes what it found.
func run(ctx context.Context, o Options, name string, job *Job, budget int) Result {
	res := Result{Source: name, Notes: job.Notes}
	if o.Budget > 0 && budget <= 0 {
		res.NotReached = job.Streams
		res.Err = &httpc.StoppedError{Service: job.Service, Reason: "budget"}
		return res
	}
	hc, err := httpc.New(httpc.Config{
		API: job.API, Credentials: job.Credentials, Query: job.Query, Service: job.Service,
		Timeout: o.Timeout, MaxWait: o.MaxWait, Budget: max(budget, 0), Limit: job.Limit, Pace: job.Pace,
		Transport: o.Transport, Now: o.Now, Sleep: o.Sleep,
	})
	if err != nil {
		res.Err = err
		return res
	}
	col, err := NewCollector(o.Ledger, o.Since, o.Until)
	if err != nil {
		res.Err = err
		return res
	}
	r := &Run{
		Client: hc.Client, source: name, hc: hc, col: col, since: o.Since.UTC(), until: o.Until.UTC(),
		old: streamsOf(o.Ledger, name), progress: o.Progress,
	}
	res.Err = job.Fetch(ctx, r)
	r.end(res.Err == nil)
	res.Streams = r.reports
	for _, k := range job.Streams {
		if !slices.ContainsFunc(r.reports, func(s StreamReport) bool { return strings.EqualFold(s.Key, k) }) {
			res.NotReached = append(res.NotReached, k)
		}
	}
	res.Credits, res.Present, res.Skipped, res.Unowned = col.Credits(), col.Present(), col.Skipped(), col.Unowned()
	res.Stats = hc.Stats()
	state := job.State
	if state == nil {
		state = r.state
	}
	w, err := Write(o.Dir, name, res.Credits, state)
	res.Written = w
	if err != nil {
		res.Credits = nil
		res.Err = fmt.Errorf("%w; nothing was written", err)
	}
	return res
}
