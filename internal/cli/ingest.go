package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
	"github.com/tallyledger/tally/internal/source/discourse"
	"github.com/tallyledger/tally/internal/source/discussions"
	"github.com/tallyledger/tally/internal/source/feeds"
	"github.com/tallyledger/tally/internal/source/jira"
	"github.com/tallyledger/tally/internal/source/meetup"
	"github.com/tallyledger/tally/internal/source/slack"
	"github.com/tallyledger/tally/internal/source/stackexchange"
	"github.com/tallyledger/tally/internal/suggest"
	"github.com/tallyledger/tally/internal/words"
)

// sources are the connectors tally has, by the name program.yaml's
// sources use.
var sources = []source.Source{
	github.GitHub{},
	discourse.Discourse{},
	stackexchange.StackExchange{},
	feeds.Feeds{},
	jira.Jira{},
	discussions.Discussions{},
	meetup.Meetup{},
	slack.Slack{},
}

// secretNames are the environment variables every source reads its
// credentials from, for the Action to mask.
func secretNames() []string {
	var names []string
	for _, s := range sources {
		for _, sec := range s.Secrets() {
			names = append(names, sec.Env)
		}
	}
	return names
}

// errNothingToIngest: program.yaml names no source, and the command line
// none either.
var errNothingToIngest = errors.New("nothing to ingest")

// exitStopped: ingestion stopped early (rate limit or request budget);
// what it fetched is saved, and running it again continues.
const exitStopped = 3

// ingestDeps are what ingestion takes from the world, so that tests can
// give fake servers and a fake clock.
type ingestDeps struct {
	lookupEnv func(string) (string, bool)
	client    *http.Client
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
}

func newIngest(s *streams) *cobra.Command {
	return newIngestWith(s, ingestDeps{lookupEnv: os.LookupEnv})
}

type ingestFlags struct {
	repos        []string
	since, until string
	apiURL, dir  string
	maxWait      time.Duration
	budget       int
}

func newIngestWith(s *streams, deps ingestDeps) *cobra.Command {
	var f ingestFlags
	cmd := &cobra.Command{
		Use:   "ingest [SOURCE]",
		Short: "Add the credits of the sources in program.yaml to the ledger",
		Long: `Ingest asks each source configured in program.yaml's sources, in the order
written, what is new since the last run, and adds the credits it finds to
credits/<YYYY>/<MM>/<source>.yaml; tally ingest SOURCE runs one source.

Bots are skipped, and so are kinds the program does not define on the
credit's date. Credits are merged by id, so nothing is ever written twice, and
existing shards keep their text. How far each source got is kept in
sources/<source>.yaml; the next run asks only for what is new since. Handles
no person owns are listed at the end, with the line that gives them to a
person.

Secrets come only from the environment (each source's help names its own),
are sent only to the source's own server, and are never printed.

Exit status: 0 done, 2 bad usage or a failure (what was fetched before it is
saved), 3 stopped early by a rate limit or --budget: what was fetched is
saved, and running the command again continues from there.`,
		Example: "  tally ingest\n  tally ingest discourse --since 2026-01-01",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngestion(cmd.Context(), s, deps, f, "")
		},
	}
	fl := cmd.PersistentFlags()
	fl.StringVar(&f.since, "since", "", "only what changed on or after this date, YYYY-MM-DD (default: since the last run)")
	fl.StringVar(&f.until, "until", "", "only what changed up to the end of this date, YYYY-MM-DD")
	fl.StringVar(&f.apiURL, "api-url", "", "send the requests of the one source ingested to this server (tests, GitHub Enterprise)")
	fl.StringVar(&f.dir, "ledger", "ledger", "the ledger folder")
	fl.DurationVar(&f.maxWait, "max-wait", 15*time.Minute, "the longest wait for a rate limit to reset before stopping (0: never wait)")
	fl.IntVar(&f.budget, "budget", 0, "the most requests to send, all sources together (default no cap)")
	for _, src := range sources {
		if src.Name() == github.Source {
			cmd.AddCommand(newIngestGitHub(s, deps, &f))
			continue
		}
		cmd.AddCommand(newIngestSource(s, deps, &f, src))
	}
	return cmd
}

// newIngestSource is tally ingest SOURCE for a source with no flags of
// its own.
func newIngestSource(s *streams, deps ingestDeps, f *ingestFlags, src source.Source) *cobra.Command {
	var secrets []string
	for _, sec := range src.Secrets() {
		if sec.Optional {
			secrets = append(secrets, sec.Env+" (optional)")
		} else {
			secrets = append(secrets, sec.Env)
		}
	}
	return &cobra.Command{
		Use:   src.Name(),
		Short: "Add the credits of " + src.Name() + " (sources." + src.Name() + " in program.yaml)",
		Long: fmt.Sprintf(`Ingest %s reads what is new on the source set up under sources.%s in
program.yaml and adds its credits to credits/<YYYY>/<MM>/%s.yaml (see tally
ingest --help, and docs/sources-and-imports.md).

Its secrets, from the environment: %s.`, src.Name(), src.Name(), src.Name(), cmp.Or(strings.Join(secrets, ", "), "none")),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngestion(cmd.Context(), s, deps, *f, src.Name())
		},
	}
}

func newIngestGitHub(s *streams, deps ingestDeps, f *ingestFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "github [--repo OWNER/NAME ...]",
		Short: "Add merged pull requests, reviews, completed issues and releases from GitHub",
		Long: `Ingest github asks the GitHub REST API what changed in each repository since
the last run and adds the credits it finds to credits/<YYYY>/<MM>/github.yaml:

  pull_request  a merged pull request, to its author, dated when merged
  review        the first review approving or requesting changes, per reviewer
                and pull request (the author's own reviews do not count)
  issue         an issue closed as completed, to each assignee
  release       a published release, to its author

The repositories are those of sources.github.repositories in program.yaml and
those --repo adds. Bots are skipped, and so are kinds the program does not
define on the credit's date. Credits are merged by id, so nothing is ever
written twice, and existing shards keep their text. How far each repository
is synced is kept in sources/github.yaml; the next run asks only for what
changed since.

The token comes from GITHUB_TOKEN (or GH_TOKEN) and is never printed. The API
is GITHUB_API_URL when set (GitHub Enterprise: https://HOST/api/v3/).

Exit status: 0 done, 2 bad usage or a failure (what was fetched before it is
saved), 3 stopped early by the rate limit or --budget: what was fetched is
saved, and running the command again continues from there.`,
		Example: "  GITHUB_TOKEN=... tally ingest github --repo acme/widget --repo acme/docs --since 2026-01-01",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngestion(cmd.Context(), s, deps, *f, github.Source)
		},
	}
	cmd.Flags().StringArrayVar(&f.repos, "repo", nil, "a repository to ingest, OWNER/NAME (repeat for more)")
	return cmd
}

// runIngestion runs the source only (every configured source when empty).
func runIngestion(ctx context.Context, s *streams, deps ingestDeps, f ingestFlags, only string) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	if f.budget < 0 || f.maxWait < 0 {
		return usage(errors.New("--budget and --max-wait cannot be negative"))
	}
	l, err := source.LoadLedger(f.dir)
	if err != nil {
		return usage(err)
	}
	loc, err := l.Program.Location()
	if err != nil {
		return usage(err)
	}
	since, until, err := ingestWindow(f.since, f.until, loc)
	if err != nil {
		return usage(err)
	}
	plan, err := ingestPlan(l.Program, inLedger(f.dir, "program.yaml"), only, f.repos)
	if err != nil {
		return usage(err)
	}
	if f.apiURL != "" && len(plan) > 1 {
		return usage(errors.New("--api-url points one source at another server: name the source, tally ingest SOURCE --api-url URL"))
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
	var transport http.RoundTripper
	if deps.client != nil {
		transport = deps.client.Transport
	}
	prog := newIngestProgress(s)
	results, err := source.Ingest(ctx, source.Options{
		Dir: f.dir, Ledger: l, Since: since, Until: until, APIURL: f.apiURL,
		Budget: f.budget, MaxWait: maxWait, Transport: transport, Now: deps.now, Sleep: deps.sleep,
		Getenv:   func(k string) string { v, _ := deps.lookupEnv(k); return v },
		Progress: prog.show,
	}, plan)
	prog.done()
	if err != nil {
		return usage(err)
	}
	var problems []string
	code := 0
	for _, res := range results {
		if len(results) > 1 {
			fmt.Fprintf(s.out, "[%s]\n", res.Source)
		}
		printIngest(s, f.dir, l, res)
		if res.Err == nil {
			continue
		}
		msg := ingestProblem(res.Err, f)
		if len(results) > 1 {
			msg = res.Source + ": " + msg
		}
		problems = append(problems, msg)
		if _, stopped := errors.AsType[*httpc.StoppedError](res.Err); stopped && code != exitUsage {
			code = exitStopped
		} else if !stopped {
			code = exitUsage
		}
	}
	printUnowned(s.out, results)
	if len(problems) > 0 {
		return &exitError{code: code, err: errors.New(strings.Join(problems, "\ntally: "))}
	}
	return nil
}

// ingestPlan is what to ingest: the source only, else every source of
// program (at file) in the order written; repos adds to github's.
func ingestPlan(p *ledger.Program, file, only string, repos []string) ([]source.Planned, error) {
	var names []string
	for _, e := range p.Sources {
		if (only == "" || e.Source == only) && !slices.Contains(names, e.Source) {
			names = append(names, e.Source)
		}
	}
	if only != "" && len(names) == 0 {
		names = []string{only} // not configured: from the flags
	}
	if len(repos) > 0 && !slices.Contains(names, github.Source) {
		names = append(names, github.Source)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: %s has no sources; add them (see docs/sources-and-imports.md) or name one: tally ingest github --repo OWNER/NAME", errNothingToIngest, file)
	}
	var plan []source.Planned
	for _, name := range names {
		i := slices.IndexFunc(sources, func(s source.Source) bool { return s.Name() == name })
		if i < 0 {
			var known []string
			for _, s := range sources {
				known = append(known, s.Name())
			}
			at := p.Sources[slices.IndexFunc(p.Sources, func(e ledger.SourceSettings) bool { return e.Source == name })].Pos
			hint := ""
			if m := suggest.Closest(name, known); m != "" {
				hint = fmt.Sprintf(" did you mean %q?", m)
			}
			return nil, fmt.Errorf("%s:%d:%d: sources: tally has no source %q;%s tally's sources are %s", file, at.Line, at.Col, name, hint, strings.Join(known, ", "))
		}
		pl := source.Planned{Source: sources[i]}
		for _, e := range p.Sources {
			if e.Source == name {
				pl.Settings = append(pl.Settings, e)
			}
		}
		if name == github.Source && len(repos) > 0 {
			pl.Settings = append(pl.Settings, ledger.SourceSettings{Source: name, Values: []ledger.Setting{{Key: "repositories", List: repos, IsList: true}}})
		}
		plan = append(plan, pl)
	}
	return plan, nil
}

// ingestProblem says why a source did not finish, and what to do.
func ingestProblem(err error, f ingestFlags) string {
	if stopped, ok := errors.AsType[*httpc.StoppedError](err); ok {
		msg := "stopped early: " + stopped.Error()
		switch {
		case stopped.Reason == "budget":
			msg += fmt.Sprintf(" (--budget %d)", f.budget)
		case !stopped.Reset.IsZero():
			msg += fmt.Sprintf(", later than --max-wait %s allows", f.maxWait)
		}
		return msg + "; what was fetched is saved: run the same command again to continue"
	}
	return err.Error() + "; what was fetched before is saved: run the same command again to continue"
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

// printIngest writes what one source's run did: the summary to stdout,
// notices to stderr (so that they show in a workflow's log).
func printIngest(s *streams, dir string, l *ledger.Ledger, res source.Result) {
	out, e := s.out, s.err
	for _, n := range res.Notes {
		fmt.Fprintln(e, n)
	}
	for _, st := range res.Streams {
		what := st.What
		switch {
		case what == "" && !st.Complete:
			what = "not finished"
		case what == "":
			what = "read"
		case !st.Complete:
			what += " (not finished)"
		}
		detail := ""
		if st.Detail != "" {
			detail = " (" + st.Detail + ")"
		}
		fmt.Fprintf(out, "%s: %s; %s%s\n", st.Key, what, words.Plural(st.Requests, "request"), detail)
	}
	for _, k := range res.NotReached {
		fmt.Fprintf(out, "%s: not reached\n", k)
	}
	kinds := map[string]int{}
	for _, c := range res.Credits {
		kinds[c.Kind]++
	}
	if len(res.Credits) == 0 {
		fmt.Fprintln(out, "credits added: none")
	} else {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, kinds[k]))
		}
		fmt.Fprintf(out, "credits added: %d (%s)\n", len(res.Credits), strings.Join(parts, ", "))
		for _, sh := range res.Written.Shards {
			created := ""
			if sh.Created {
				created = " (new file)"
			}
			fmt.Fprintf(out, "  %s: %d%s\n", inLedger(dir, sh.Path), sh.Added, created)
		}
	}
	fmt.Fprintf(out, "already in the ledger: %d\n", res.Present)
	var bots []string
	var kindSkips []source.Skip
	for _, sk := range res.Skipped {
		if sk.Reason == "bot" {
			_, handle, _ := strings.Cut(sk.Who, ":")
			bots = append(bots, handle)
		} else {
			kindSkips = append(kindSkips, sk)
		}
	}
	fmt.Fprintf(out, "skipped: %d by bots, %d of kinds the program does not define on their date\n", len(bots), len(kindSkips))
	rate := "unknown"
	if r := res.Stats.Rate; r.Known && !r.Reset.IsZero() {
		rate = fmt.Sprintf("%d of %d left, resets %s", r.Remaining, r.Limit, r.Reset.UTC().Format(time.RFC3339))
	} else if r.Known {
		rate = fmt.Sprintf("%d of %d left", r.Remaining, r.Limit)
	}
	fmt.Fprintf(out, "requests: %d; rate limit: %s\n", res.Stats.Requests, rate)
	if res.Stats.Waited > 0 {
		fmt.Fprintf(out, "waited: %s for rate limits and retries\n", res.Stats.Waited)
	}

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

// unownedShown is how many handles of one platform are listed.
const unownedShown = 50

// printUnowned lists the handles no person owns among the credits added,
// by platform, most credits first, each as the line that gives it to a
// person.
func printUnowned(out io.Writer, results []source.Result) {
	handles := map[string]source.Handle{}
	for _, res := range results {
		for who, h := range res.Unowned {
			h.Credits += handles[who].Credits
			handles[who] = h
		}
	}
	if len(handles) == 0 {
		return
	}
	byPlatform := map[string][]string{}
	for who := range handles {
		platform, _, _ := strings.Cut(who, ":")
		byPlatform[platform] = append(byPlatform[platform], who)
	}
	fmt.Fprintln(out, "handles no person owns, most credits first; add the line to the person's identities in people/<id>.yaml:")
	for _, platform := range slices.Sorted(maps.Keys(byPlatform)) {
		whos := byPlatform[platform]
		slices.SortFunc(whos, func(a, b string) int { return cmp.Or(handles[b].Credits-handles[a].Credits, strings.Compare(a, b)) })
		for i, who := range whos {
			if i == unownedShown {
				rest := 0
				for _, w := range whos[i:] {
					rest += handles[w].Credits
				}
				fmt.Fprintf(out, "  # and %s of %s more\n", words.Plural(len(whos)-i, platform+" handle"), words.Plural(rest, "credit"))
				break
			}
			_, handle, _ := strings.Cut(who, ":")
			note := words.Plural(handles[who].Credits, "credit")
			if name := handles[who].Name; name != "" {
				note = strings.Join(strings.Fields(name), " ") + ", " + note
			}
			fmt.Fprintf(out, "  %s: %s  # %s\n", platform, ledger.Scalar(handle), note)
		}
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

func (p *ingestProgress) show(pr source.Progress) {
	if !p.on {
		return
	}
	line := pr.Source
	if pr.Stream != "" {
		line += " " + pr.Stream
	}
	if pr.Stage != "" {
		line += ": " + pr.Stage
	}
	if pr.Total > 0 {
		line += fmt.Sprintf(": %d of %d %s", pr.Done, pr.Total, pr.Unit)
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
