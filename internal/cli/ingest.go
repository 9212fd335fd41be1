package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/importer"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

// exitStopped: ingestion stopped early (rate limit or request budget);
// what it fetched is saved, and running it again continues.
const exitStopped = 3

// ingestDeps are what ingestion takes from the world, so that tests can
// give a fake GitHub and a fake clock.
type ingestDeps struct {
	lookupEnv func(string) (string, bool)
	client    *http.Client
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
}

func newIngest(s *streams) *cobra.Command {
	return newIngestWith(s, ingestDeps{lookupEnv: os.LookupEnv})
}

func newIngestWith(s *streams, deps ingestDeps) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ingest github --repo OWNER/NAME ...",
		Short: "Add the credits of a source (GitHub) to the ledger",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return &exitError{code: exitUsage, err: errors.New("say what to ingest: tally ingest github --repo OWNER/NAME")}
		},
	}
	cmd.AddCommand(newIngestGitHub(s, deps))
	return cmd
}

type ingestFlags struct {
	repos        []string
	since, until string
	apiURL, dir  string
	maxWait      time.Duration
	budget       int
}

func newIngestGitHub(s *streams, deps ingestDeps) *cobra.Command {
	var f ingestFlags
	cmd := &cobra.Command{
		Use:   "github --repo OWNER/NAME [--repo ...]",
		Short: "Add merged pull requests, reviews, completed issues and releases from GitHub",
		Long: `Ingest asks the GitHub REST API what changed in each repository since the
last run and adds the credits it finds to credits/<YYYY>/<MM>/github.yaml:

  pull_request  a merged pull request, to its author, dated when merged
  review        the first review approving or requesting changes, per reviewer
                and pull request (the author's own reviews do not count)
  issue         an issue closed as completed, to each assignee
  release       a published release, to its author

Bots are skipped, and so are kinds the program does not define on the
credit's date. Credits are merged by id, so nothing is ever written twice, and
existing shards keep their text. How far each repository is synced is kept in
sources/github.yaml; the next run asks only for what changed since.

The token comes from GITHUB_TOKEN (or GH_TOKEN) and is never printed. The API
is GITHUB_API_URL when set (GitHub Enterprise: https://HOST/api/v3/).

Exit status: 0 done, 2 bad usage or a failure (what was fetched before it is
saved), 3 stopped early by the rate limit or --budget: what was fetched is
saved, and running the command again continues from there.`,
		Example: "  GITHUB_TOKEN=... tally ingest github --repo acme/widget --repo acme/docs --since 2026-01-01",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngestGitHub(cmd.Context(), s, deps, f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.repos, "repo", nil, "a repository to ingest, OWNER/NAME (repeat for more)")
	fl.StringVar(&f.since, "since", "", "only what changed on or after this date, YYYY-MM-DD (default: since the last run)")
	fl.StringVar(&f.until, "until", "", "only what changed up to the end of this date, YYYY-MM-DD")
	fl.StringVar(&f.apiURL, "api-url", "", "the REST API's URL (default $GITHUB_API_URL, else "+github.PublicAPI+")")
	fl.StringVar(&f.dir, "ledger", "ledger", "the ledger folder")
	fl.DurationVar(&f.maxWait, "max-wait", 15*time.Minute, "the longest wait for a rate limit to reset before stopping (0: never wait)")
	fl.IntVar(&f.budget, "budget", 0, "the most requests to send (default no cap)")
	return cmd
}

func runIngestGitHub(ctx context.Context, s *streams, deps ingestDeps, f ingestFlags) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	if len(f.repos) == 0 {
		return usage(errors.New("name a repository: --repo OWNER/NAME"))
	}
	if f.budget < 0 || f.maxWait < 0 {
		return usage(errors.New("--budget and --max-wait cannot be negative"))
	}
	l, err := github.LoadIngestLedger(f.dir)
	if err != nil {
		return usage(err)
	}
	loc, err := importer.Location(l)
	if err != nil {
		return usage(err)
	}
	since, until, err := ingestWindow(f.since, f.until, loc)
	if err != nil {
		return usage(err)
	}
	env := func(k string) string {
		v, _ := deps.lookupEnv(k)
		return strings.TrimSpace(v)
	}
	token := env("GITHUB_TOKEN")
	if token == "" {
		token = env("GH_TOKEN")
	}
	if token == "" {
		fmt.Fprintln(s.err, "No GITHUB_TOKEN or GH_TOKEN is set: without a token GitHub allows 60 requests an hour.")
	}
	apiURL := f.apiURL
	if apiURL == "" {
		apiURL = env("GITHUB_API_URL")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()

	maxWait := f.maxWait
	if maxWait == 0 {
		maxWait = -1 // --max-wait 0: never wait
	}
	prog := newIngestProgress(s)
	sum, runErr := github.Ingest(ctx, github.IngestOptions{
		Repos: f.repos, Since: since, Until: until,
		APIURL: apiURL, Token: token, HTTPClient: deps.client,
		MaxWait: maxWait, Budget: f.budget, Ledger: l,
		Now: deps.now, Sleep: deps.sleep, Progress: prog.show,
	})
	prog.done()
	if runErr != nil && len(sum.State) == 0 {
		return usage(runErr) // nothing was asked: bad options
	}
	w, err := github.WriteIngest(f.dir, l, sum)
	if err != nil {
		return usage(fmt.Errorf("%w; nothing was written", err))
	}
	printIngest(s, f, l, sum, w)

	var stopped *github.StoppedError
	switch {
	case runErr == nil:
		return nil
	case errors.As(runErr, &stopped):
		msg := "stopped early: " + stopped.Error()
		switch {
		case stopped.Reason == "budget":
			msg += fmt.Sprintf(" (--budget %d)", f.budget)
		case !stopped.Reset.IsZero():
			msg += fmt.Sprintf(", later than --max-wait %s allows", f.maxWait)
		}
		return &exitError{code: exitStopped, err: errors.New(msg + "; what was fetched is saved: run the same command again to continue")}
	default:
		return usage(fmt.Errorf("%w; what was fetched before is saved: run the same command again to continue", runErr))
	}
}

// ingestWindow reads --since and --until as days in the program's time
// zone: since from the start of its day, until to the end of its day.
func ingestWindow(since, until string, loc *time.Location) (time.Time, time.Time, error) {
	day := func(flag, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		d, err := ledger.ParseDate(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("--%s: %v", flag, err)
		}
		return time.Date(d.Year(), time.Month(int(d)/100%100), d.Day(), 0, 0, 0, 0, loc), nil
	}
	from, err := day("since", since)
	if err != nil {
		return from, from, err
	}
	to, err := day("until", until)
	if err != nil {
		return from, to, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, fmt.Errorf("--until %s is before --since %s", until, since)
	}
	return from, to, nil
}

func printIngest(s *streams, f ingestFlags, l *ledger.Ledger, sum github.IngestSummary, w github.IngestWritten) {
	out := s.out
	for _, r := range sum.Repos {
		state := ""
		if !r.Complete {
			state = " (not finished)"
		}
		fmt.Fprintf(out, "%s: %s updated%s; %s (pull requests %d, reviews %d, issues %d, releases %d)\n",
			r.Repo, words.Plural(r.PullRequests, "pull request"), state, words.Plural(r.Requests(), "request"),
			r.PullRequestRequests, r.ReviewRequests, r.IssueRequests, r.ReleaseRequests)
	}
	for _, r := range f.repos[len(sum.Repos):] {
		fmt.Fprintf(out, "%s: not reached\n", r)
	}
	kinds := map[string]int{}
	for _, c := range sum.Credits {
		kinds[c.Kind]++
	}
	if len(sum.Credits) == 0 {
		fmt.Fprintln(out, "credits added: none")
	} else {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, kinds[k]))
		}
		fmt.Fprintf(out, "credits added: %d (%s)\n", len(sum.Credits), strings.Join(parts, ", "))
		for _, sh := range w.Shards {
			created := ""
			if sh.Created {
				created = " (new file)"
			}
			fmt.Fprintf(out, "  %s: %d%s\n", inLedger(f.dir, sh.Path), sh.Added, created)
		}
	}
	fmt.Fprintf(out, "already in the ledger: %d\n", sum.Present)
	var bots []string
	var kindSkips []github.IngestSkip
	for _, sk := range sum.Skipped {
		if sk.Reason == "bot" {
			bots = append(bots, strings.TrimPrefix(sk.Who, "github:"))
		} else {
			kindSkips = append(kindSkips, sk)
		}
	}
	fmt.Fprintf(out, "skipped: %d by bots, %d of kinds the program does not define on their date\n", len(bots), len(kindSkips))
	rate := "unknown"
	if sum.Rate.Known {
		rate = fmt.Sprintf("%d of %d left, resets %s", sum.Rate.Remaining, sum.Rate.Limit, sum.Rate.Reset.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(out, "requests: %d; rate limit: %s\n", sum.Requests, rate)
	if sum.Waited > 0 {
		fmt.Fprintf(out, "waited: %s for rate limits and retries\n", sum.Waited)
	}

	// Notices go to stderr, so that they show in a workflow's log.
	e := s.err
	if len(bots) > 0 {
		slices.Sort(bots)
		fmt.Fprintf(e, "Skipped credits of bots: %s\n", strings.Join(slices.Compact(bots), ", "))
	}
	for _, sk := range kindSkips {
		from := ""
		if sp := l.Program.PeriodOn(sk.Date); sp != nil {
			from = " (the scoring period from " + sp.From.String() + ")"
		}
		fmt.Fprintf(e, "Skipped %s: kind %s is not defined on %s%s; add it to program.yaml to count it\n", sk.ID, sk.Kind, sk.Date, from)
	}
}

// ingestProgress shows how far ingestion has got on a terminal, on one
// line redrawn in place, and nothing when stderr is a file or a pipe.
type ingestProgress struct {
	s     *streams
	on    bool
	drawn bool
}

func newIngestProgress(s *streams) *ingestProgress {
	return &ingestProgress{s: s, on: isTerminal(s.err)}
}

func (p *ingestProgress) show(pr github.IngestProgress) {
	if !p.on {
		return
	}
	line := fmt.Sprintf("%s: %s", pr.Repo, pr.Stage)
	if pr.Total > 0 {
		line += fmt.Sprintf(": %d of %d pull requests", pr.Done, pr.Total)
	} else if pr.Done > 0 {
		line += fmt.Sprintf(", %d read", pr.Done)
	}
	fmt.Fprintf(p.s.err, "\r\033[K%s", line)
	p.drawn = true
}

func (p *ingestProgress) done() {
	if p.drawn {
		fmt.Fprint(p.s.err, "\r\033[K")
	}
}
