package github

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/tallyledger/tally/internal/httpc"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
)

// Source is the name ingested credits and state are filed under:
// credits/<YYYY>/<MM>/github.yaml and sources/github.yaml.
const Source = "github"

// The kinds of credit ingestion writes.
const (
	KindPullRequest = "pull_request"
	KindReview      = "review"
	KindIssue       = "issue"
	KindRelease     = "release"
)

// listPageSize is the most items GitHub gives in one list request.
const listPageSize = 100

// IngestOptions say what to ingest, from where and within which limits.
type IngestOptions struct {
	// Repos are the repositories, as OWNER/NAME.
	Repos []string
	// Since and Until, when set, bound the window: only what was updated
	// in it is asked for, and only credits dated in it are kept. Without
	// Since, each stream starts at its watermark in the ledger.
	Since, Until time.Time
	// APIURL is the REST API's root (PublicAPI when empty); Token
	// authenticates (none when empty).
	APIURL, Token string
	// HTTPClient's Transport makes the connections (the default's when
	// nil); Timeout bounds each attempt, headers and body (a minute when
	// zero).
	HTTPClient *http.Client
	Timeout    time.Duration
	// MaxWait is the longest wait for a rate limit to lift before the run
	// stops: 15 minutes when zero, no wait at all when negative.
	MaxWait time.Duration
	// Budget caps the number of requests (no cap when zero).
	Budget int
	// Ledger gives the kinds the program defines, its time zone, the
	// people marked as bots, the credits already held and the watermarks.
	Ledger *ledger.Ledger
	// Now and Sleep are the clock (the real one when nil).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Progress, when set, hears how far the run has got.
	Progress func(IngestProgress)
}

// IngestProgress is how far a run has got in one repository.
type IngestProgress struct {
	Repo, Stage string
	Done, Total int // Total is 0 when unknown
}

// IngestSummary is what a run found. It is always consistent, even when
// the run stopped early: Credits holds everything fetched, and State
// moves each watermark only as far as everything before it was fetched.
type IngestSummary struct {
	// Credits are the credits the ledger does not hold yet, sorted by date,
	// then id.
	Credits []ledger.Credit
	// State holds the watermarks of every repository ingested, in the
	// order given.
	State []ledger.RepoState
	// Present counts the credits found that the ledger already holds.
	Present int
	// Skipped lists what was found but is not credited, and why.
	Skipped []IngestSkip
	Repos   []IngestRepo
	// Requests is the number of HTTP requests sent, retries included.
	Requests int
	// Rate is the rate limit as the last response told it.
	Rate RateLimit
	// Waited is the time spent waiting for rate limits and retries.
	Waited time.Duration
}

// IngestRepo is what a run did in one repository.
type IngestRepo struct {
	Repo string
	// Requests sent for this repository, by stream.
	PullRequestRequests, ReviewRequests, IssueRequests, ReleaseRequests int
	// PullRequests updated in the window, whose reviews were read.
	PullRequests int
	// Complete is false when the run stopped before the end of this
	// repository.
	Complete bool
}

// Requests is the total of the repository's requests.
func (r IngestRepo) Requests() int {
	return r.PullRequestRequests + r.ReviewRequests + r.IssueRequests + r.ReleaseRequests
}

// IngestSkip is a credit found but not written.
type IngestSkip = source.Skip

// repoNamePattern is what GitHub allows in owner and repository names.
var repoNamePattern = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+$`)

// SplitRepo checks an OWNER/NAME argument.
func SplitRepo(s string) (owner, name string, err error) {
	if !repoNamePattern.MatchString(s) || strings.HasSuffix(s, "/.") || strings.HasSuffix(s, "/..") {
		return "", "", fmt.Errorf("repository %q is not OWNER/NAME, such as acme/widget", s)
	}
	owner, name, _ = strings.Cut(s, "/")
	return owner, name, nil
}

// Ingest fetches the credits of opt.Repos that changed since each one's
// watermark (or opt.Since). It returns what it found even with an error:
// a *StoppedError when it stopped early on purpose (rate limit, budget),
// or another error when GitHub kept failing or refused a request. Write
// the summary with WriteIngest in every case; nothing it holds is partial.
func Ingest(ctx context.Context, opt IngestOptions) (IngestSummary, error) {
	in, err := newIngestion(opt)
	if err != nil {
		return IngestSummary{}, err
	}
	var sum IngestSummary
	runErr := in.run(ctx, nil, func(rs IngestRepo, st ledger.RepoState) {
		sum.Repos = append(sum.Repos, rs)
		sum.State = append(sum.State, st)
	})
	// Keep the watermarks of the repositories not reached.
	for _, rest := range opt.Repos[len(sum.State):] {
		o, n, _ := SplitRepo(rest)
		sum.State = append(sum.State, in.state(o+"/"+n))
	}
	st := in.hc.Stats()
	sum.Requests, sum.Rate, sum.Waited = st.Requests, st.Rate, st.Waited
	sum.Credits, sum.Present, sum.Skipped = in.col.Credits(), in.col.Present(), in.col.Skipped()
	return sum, runErr
}

// ingestion is one run.
type ingestion struct {
	repos []string
	gh    *gh.Client
	hc    *httpc.Client // its stats
	since time.Time     // in UTC; zero: from each watermark
	until time.Time
	// prev are the watermarks in the ledger; bots the logins of the
	// people it marks as bots.
	prev []ledger.RepoState
	bots map[string]bool
	// col judges what is found (Ingest's own run); found hands it over.
	col      *source.Collector
	found    func(source.Item)
	progress func(IngestProgress)
}

func newIngestion(opt IngestOptions) (*ingestion, error) {
	if opt.Ledger == nil || opt.Ledger.Program == nil {
		return nil, errors.New("the ledger has no program.yaml, so the kinds of credit are unknown")
	}
	if err := checkRepos(opt.Repos); err != nil {
		return nil, err
	}
	if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Until.Before(opt.Since) {
		return nil, errors.New("the window ends before it starts: until is before since")
	}
	col, err := source.NewCollector(opt.Ledger, opt.Since, opt.Until)
	if err != nil {
		return nil, err
	}
	c, hc, err := newClient(ClientOptions{
		APIURL: opt.APIURL, Token: opt.Token, HTTPClient: opt.HTTPClient, Timeout: opt.Timeout,
		MaxWait: opt.MaxWait, Budget: opt.Budget, Now: opt.Now, Sleep: opt.Sleep,
	})
	if err != nil {
		return nil, err
	}
	return &ingestion{
		repos: opt.Repos, gh: c, hc: hc, since: opt.Since.UTC(), until: opt.Until.UTC(),
		prev: repoStates(opt.Ledger), bots: botLogins(opt.Ledger), col: col, found: col.Add, progress: opt.Progress,
	}, nil
}

// botLogins are the GitHub logins of the people l marks as bots,
// lowercased.
func botLogins(l *ledger.Ledger) map[string]bool {
	bots := map[string]bool{}
	for _, p := range l.People {
		for _, id := range p.Identities {
			if p.Bot && id.Platform == Source {
				bots[strings.ToLower(id.Handle)] = true
			}
		}
	}
	return bots
}

// checkRepos checks OWNER/NAME arguments, each named once.
func checkRepos(repos []string) error {
	if len(repos) == 0 {
		return errors.New("name at least one repository, as OWNER/NAME")
	}
	seen := map[string]bool{}
	for _, r := range repos {
		if _, _, err := SplitRepo(r); err != nil {
			return err
		}
		if seen[strings.ToLower(r)] {
			return fmt.Errorf("repository %s is named twice", r)
		}
		seen[strings.ToLower(r)] = true
	}
	return nil
}

// repoStates are the watermarks the ledger holds.
func repoStates(l *ledger.Ledger) []ledger.RepoState {
	for _, s := range l.Sources {
		if s.Source == Source {
			return s.Repositories
		}
	}
	return nil
}

// run ingests each repository in turn, saying when one begins and what it
// gave when it ends (done is called for a repository left unfinished too,
// before the error that stopped it is returned).
func (in *ingestion) run(ctx context.Context, begin func(repo string), done func(IngestRepo, ledger.RepoState)) error {
	for _, repo := range in.repos {
		owner, name, _ := SplitRepo(repo) // checked before
		if begin != nil {
			begin(owner + "/" + name)
		}
		rs := IngestRepo{Repo: owner + "/" + name}
		st, err := in.repo(ctx, owner, name, &rs)
		rs.Complete = err == nil
		done(rs, st)
		if err != nil {
			return err
		}
	}
	return nil
}

// state is a repository's watermarks in the ledger.
func (in *ingestion) state(repo string) ledger.RepoState {
	for _, r := range in.prev {
		if strings.EqualFold(r.Repo, repo) {
			r.Repo = repo
			return r
		}
	}
	return ledger.RepoState{Repo: repo}
}

// repo ingests one repository: releases, issues, then pull requests and
// their reviews. Each stream's watermark moves as that stream completes
// (pull requests one by one), so a run stopped anywhere loses nothing.
func (in *ingestion) repo(ctx context.Context, owner, name string, rs *IngestRepo) (ledger.RepoState, error) {
	st := in.state(owner + "/" + name)
	var err error
	if st.Releases, err = in.releases(ctx, owner, name, st.Releases, rs); err != nil {
		return st, err
	}
	if st.Issues, err = in.issues(ctx, owner, name, st.Issues, rs); err != nil {
		return st, err
	}
	st.PullRequests, err = in.pullRequests(ctx, owner, name, st.PullRequests, rs)
	return st, err
}

// window is where a stream's reading begins and whether its watermark
// may move (see source.Window).
func (in *ingestion) window(watermark string) (start time.Time, movable bool) {
	return source.Window(in.since, watermark)
}

// after tells whether t falls after the window's end.
func (in *ingestion) after(t time.Time) bool { return !in.until.IsZero() && t.After(in.until) }

// pullRequests lists the pull requests updated since the watermark,
// newest first, stopping at the watermark; credits the merged ones; then
// reads the reviews of each, oldest update first, moving the watermark to
// each pull request of a person whose reviews are all read.
func (in *ingestion) pullRequests(ctx context.Context, owner, name, watermark string, rs *IngestRepo) (string, error) {
	repo := owner + "/" + name
	start, movable := in.window(watermark)
	opt := &gh.PullRequestListOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: gh.ListOptions{PerPage: listPageSize}}
	var updated []*gh.PullRequest
	seen := map[int]bool{}
	for {
		in.show(repo, "pull requests", len(updated), 0)
		page, resp, err := in.gh.PullRequests.List(ctx, owner, name, opt)
		rs.PullRequestRequests++
		if err != nil {
			return watermark, in.fault(repo, "listing pull requests", err)
		}
		reached := false
		for _, pr := range page {
			u := pr.GetUpdatedAt().Time
			// Those updated at the watermark's instant are read again: one
			// may have been updated in that second after the last run.
			if !start.IsZero() && u.Before(start) {
				reached = true
				break
			}
			if in.after(u) || seen[pr.GetNumber()] {
				continue // a pull request can move a page down while we read
			}
			seen[pr.GetNumber()] = true
			updated = append(updated, pr)
			in.pullRequestCredit(repo, pr)
		}
		if reached || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	slices.SortStableFunc(updated, func(a, b *gh.PullRequest) int {
		return cmp.Or(a.GetUpdatedAt().Compare(b.GetUpdatedAt().Time), cmp.Compare(a.GetNumber(), b.GetNumber()))
	})
	rs.PullRequests = len(updated)
	for i, pr := range updated {
		in.show(repo, "reviews", i, len(updated))
		if err := in.reviews(ctx, owner, name, pr, rs); err != nil {
			return watermark, err
		}
		// A bot's pull request (the report pull request a monthly run
		// force-pushes, dependabot's rebases) is updated by every run:
		// were it to move the watermark, every run would change the
		// ledger. Its reviews are read again until a person's pull
		// request updated later moves the watermark past it.
		if movable && !in.isBot(pr.GetUser()) {
			watermark = source.Advance(watermark, pr.GetUpdatedAt().Time)
		}
	}
	return watermark, nil
}

// reviews credits each reviewer of a pull request, other than its author,
// once, at their first review that approved or requested changes.
func (in *ingestion) reviews(ctx context.Context, owner, name string, pr *gh.PullRequest, rs *IngestRepo) error {
	repo := owner + "/" + name
	first := map[string]*gh.PullRequestReview{}
	var order []string
	opt := &gh.ListOptions{PerPage: listPageSize}
	for {
		page, resp, err := in.gh.PullRequests.ListReviews(ctx, owner, name, pr.GetNumber(), opt)
		rs.ReviewRequests++
		if err != nil {
			return in.fault(repo, fmt.Sprintf("reading the reviews of #%d", pr.GetNumber()), err)
		}
		for _, r := range page {
			login := r.GetUser().GetLogin()
			if !countsAsReview(r.GetState()) || r.SubmittedAt == nil || login == "" ||
				strings.EqualFold(login, pr.GetUser().GetLogin()) {
				continue
			}
			key := strings.ToLower(login)
			if f, ok := first[key]; !ok {
				first[key] = r
				order = append(order, key)
			} else if r.GetSubmittedAt().Before(f.GetSubmittedAt().Time) {
				first[key] = r
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	for _, key := range order {
		r := first[key]
		login := r.GetUser().GetLogin()
		in.add(ledger.Credit{
			ID:      fmt.Sprintf("github:%s#%d/review/%s", repo, pr.GetNumber(), login),
			Who:     "github:" + login,
			Kind:    KindReview,
			URL:     r.GetHTMLURL(),
			Title:   pr.GetTitle(),
			Project: repo,
		}, r.GetUser(), r.GetSubmittedAt().Time)
	}
	return nil
}

// countsAsReview: approvals and change requests count; comments do not.
// Only those two can be dismissed, so a dismissed review counts too.
func countsAsReview(state string) bool {
	switch state {
	case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
		return true
	}
	return false
}

func (in *ingestion) pullRequestCredit(repo string, pr *gh.PullRequest) {
	if pr.MergedAt == nil {
		return
	}
	merged := pr.GetMergedAt().Time
	in.add(ledger.Credit{
		ID:      fmt.Sprintf("github:%s#%d", repo, pr.GetNumber()),
		Who:     "github:" + pr.GetUser().GetLogin(),
		Kind:    KindPullRequest,
		URL:     pr.GetHTMLURL(),
		Title:   pr.GetTitle(),
		Project: repo,
		Facts: []ledger.Fact{
			{Key: "opened", Value: pr.GetCreatedAt().UTC().Format(time.RFC3339)},
			{Key: "merged", Value: merged.UTC().Format(time.RFC3339)},
		},
	}, pr.GetUser(), merged)
}

// issues lists the closed, assigned issues updated since the watermark,
// oldest update first (the API's since), and credits each assignee of
// those closed as completed. The watermark moves item by item.
//
// Each next page is asked from the last update read, not by page number:
// an issue updated while the list is read moves to its end, and every
// later one moves up a place, so paging by number would skip the one that
// moved up into a page already read. since is asked a second early, as
// GitHub documents it as "after": another issue updated in the same second
// as the last one read must come too; those read already are skipped.
func (in *ingestion) issues(ctx context.Context, owner, name, watermark string, rs *IngestRepo) (string, error) {
	repo := owner + "/" + name
	start, movable := in.window(watermark)
	from := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.Add(-time.Second)
	}
	opt := &gh.IssueListByRepoOptions{
		State: "closed", Assignee: "*", Sort: "updated", Direction: "asc",
		Since: from(start), ListOptions: gh.ListOptions{PerPage: listPageSize},
	}
	// read holds the update of each issue read: a page starts with the
	// last one read again, while one updated since is read anew.
	read := map[int]time.Time{}
	var first time.Time // the oldest update the current query gave
	for {
		in.show(repo, "issues", len(read), 0)
		page, resp, err := in.gh.Issues.ListByRepo(ctx, owner, name, opt)
		rs.IssueRequests++
		if err != nil {
			return watermark, in.fault(repo, "listing issues", err)
		}
		for _, is := range page {
			u := is.GetUpdatedAt().Time
			if in.after(u) {
				return watermark, nil // oldest first: the rest is later still
			}
			if r, ok := read[is.GetNumber()]; ok && !u.After(r) {
				continue
			}
			read[is.GetNumber()] = u
			in.issueCredits(repo, is)
			if movable {
				watermark = source.Advance(watermark, u)
			}
		}
		if resp.NextPage == 0 || len(page) == 0 {
			return watermark, nil
		}
		if opt.Page == 0 {
			first = page[0].GetUpdatedAt().Time
		}
		next := from(page[len(page)-1].GetUpdatedAt().Time)
		if !next.After(first) {
			// Every issue of the query so far was updated within a second:
			// asking from the last again would give the same page, so take
			// the next one by number.
			opt.Page = resp.NextPage
			continue
		}
		opt.Since, opt.Page = next, 0
	}
}

func (in *ingestion) issueCredits(repo string, is *gh.Issue) {
	// An issue closed before GitHub recorded reasons has none: it was
	// closed as completed, as GitHub shows it.
	if is.IsPullRequest() || is.GetState() != "closed" || is.ClosedAt == nil ||
		(is.StateReason != nil && is.GetStateReason() != "completed") {
		return
	}
	closed := is.GetClosedAt().Time
	for _, a := range is.Assignees {
		login := a.GetLogin()
		if login == "" {
			continue
		}
		in.add(ledger.Credit{
			ID:      fmt.Sprintf("github:%s#%d/issue/%s", repo, is.GetNumber(), login),
			Who:     "github:" + login,
			Kind:    KindIssue,
			URL:     is.GetHTMLURL(),
			Title:   is.GetTitle(),
			Project: repo,
			// How long the issue took to close, for the health reports.
			Facts: []ledger.Fact{
				{Key: "closed", Value: closed.UTC().Format(time.RFC3339)},
				{Key: "opened", Value: is.GetCreatedAt().UTC().Format(time.RFC3339)},
			},
		}, a, closed)
	}
}

// releases reads the releases, newest first, until a page holds only
// releases older than the watermark, and credits each published one to
// its author. The watermark moves once all are read.
func (in *ingestion) releases(ctx context.Context, owner, name, watermark string, rs *IngestRepo) (string, error) {
	repo := owner + "/" + name
	start, movable := in.window(watermark)
	opt := &gh.ListOptions{PerPage: listPageSize}
	newest := time.Time{}
	for {
		in.show(repo, "releases", 0, 0)
		page, resp, err := in.gh.Repositories.ListReleases(ctx, owner, name, opt)
		rs.ReleaseRequests++
		if err != nil {
			return watermark, in.fault(repo, "listing releases", err)
		}
		recent := false
		for _, r := range page {
			if start.IsZero() || !r.GetCreatedAt().Before(start) {
				recent = true
			}
			if r.GetDraft() || r.PublishedAt == nil {
				continue
			}
			p := r.GetPublishedAt().Time
			if !start.IsZero() && p.Before(start) || in.after(p) {
				continue
			}
			recent = true
			if p.After(newest) {
				newest = p
			}
			title := r.GetName()
			if title == "" {
				title = r.GetTagName()
			}
			in.add(ledger.Credit{
				ID:      fmt.Sprintf("github:%s/release/%d", repo, r.GetID()),
				Who:     "github:" + r.GetAuthor().GetLogin(),
				Kind:    KindRelease,
				URL:     r.GetHTMLURL(),
				Title:   title,
				Project: repo,
			}, r.GetAuthor(), p)
		}
		if !recent || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if movable && !newest.IsZero() {
		watermark = source.Advance(watermark, newest)
	}
	return watermark, nil
}

// add hands over a credit found, for the collector to judge.
func (in *ingestion) add(c ledger.Credit, u *gh.User, at time.Time) {
	in.found(source.Item{Credit: c, At: at, Bot: isBot(u)})
}

// isBot: GitHub Apps are users of type Bot with logins ending in [bot];
// the ledger marks other automation accounts as bot people.
func (in *ingestion) isBot(u *gh.User) bool {
	return isBot(u) || in.bots[strings.ToLower(u.GetLogin())]
}

// isBot tells a bot as GitHub shows it: a GitHub App's user, of type Bot,
// its login ending in [bot].
func isBot(u *gh.User) bool {
	return strings.EqualFold(u.GetType(), "Bot") || strings.HasSuffix(strings.ToLower(u.GetLogin()), "[bot]")
}

func (in *ingestion) show(repo, stage string, done, total int) {
	if in.progress != nil {
		in.progress(IngestProgress{Repo: repo, Stage: stage, Done: done, Total: total})
	}
}

// fault names what failed. A stop and a cancelled context pass through
// as they are, so that callers can tell them apart.
func (in *ingestion) fault(repo, doing string, err error) error {
	var stop *StoppedError
	if errors.As(err, &stop) {
		return stop
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		// go-github refuses locally once it knows the limit is spent.
		return &StoppedError{Service: service, Reason: "rate limit", Reset: rl.Rate.Reset.Time}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("%s: %s: GitHub refused the token (401 %s); set GITHUB_TOKEN to a valid token", repo, doing, er.Message)
		case http.StatusNotFound:
			return fmt.Errorf("%s: %s: not found (404); check the repository's name, and that the token can read it", repo, doing)
		}
		return fmt.Errorf("%s: %s: GitHub answered %d %s", repo, doing, er.Response.StatusCode, er.Message)
	}
	return fmt.Errorf("%s: %s: %w", repo, doing, err)
}
