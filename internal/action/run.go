package action

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"

	tgh "github.com/tallyledger/tally/internal/github"
)

// Ingester adds new credits to the ledger from every source its
// program.yaml configures, and from the given repositories on GitHub
// through the API the action was given. It returns ErrNothingToIngest
// when there is no source at all.
type Ingester interface {
	Ingest(ctx context.Context, api API, ledgerDir string, repos []string, stderr io.Writer) error
}

// ErrNothingToIngest says that neither program.yaml nor the repositories
// input names a source.
var ErrNothingToIngest = errors.New("nothing to ingest: program.yaml names no sources and input repositories is empty")

// API is where the action reaches GitHub, and with what token; Getenv is
// the runner's environment, where the other sources' secrets are.
type API struct {
	URL, Token string
	HTTP       *http.Client // its Transport makes the connections; nil: the default's
	Getenv     func(string) string
}

// Reporter writes the reports of the ledger as tally report does.
type Reporter interface {
	Report(ctx context.Context, ledgerDir, reportsDir, asOf string, stdout, stderr io.Writer) error
}

// Env is what a run of the action works with; every part is a parameter
// so that tests drive it exactly as the runner does.
type Env struct {
	*Runtime
	HTTPClient *http.Client // its Transport makes the connections; nil: the default's
	// Sleep waits between retries of a request (nil: the real clock).
	Sleep func(context.Context, time.Duration) error
	// Ingest is nil in a build without ingestion.
	Ingest Ingester
	// Secrets are the environment variables the sources read credentials
	// from: their values are masked before anything is logged.
	Secrets []string
	Report  Reporter
	// Now is the clock (nil: the real one): it says which months have
	// ended.
	Now func() time.Time
}

func (e *Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// config is the step's inputs and the runner's context.
type config struct {
	command, ledger, reports, token, branch, asOf string
	repositories                                  []string
	allowLarge                                    bool

	workspace, owner, repo, apiURL, serverURL, eventName, eventPath, ref string
	// runID is the workflow run's (GITHUB_RUN_ID), 0 when unknown.
	runID int64
}

func (e *Env) config() (*config, error) {
	c := &config{
		command: e.Input("command"), ledger: e.Input("ledger"), reports: e.Input("reports"),
		token: e.Input("github-token"), branch: e.Input("branch"), asOf: e.Input("as-of"),
		repositories: e.ListInput("repositories"),
		workspace:    e.Getenv("GITHUB_WORKSPACE"), apiURL: e.Getenv("GITHUB_API_URL"), serverURL: e.Getenv("GITHUB_SERVER_URL"),
		eventName: e.Getenv("GITHUB_EVENT_NAME"), eventPath: e.Getenv("GITHUB_EVENT_PATH"), ref: e.Getenv("GITHUB_REF"),
	}
	var err error
	if c.allowLarge, err = e.BoolInput("allow-large-changes"); err != nil {
		return nil, err
	}
	c.runID, _ = strconv.ParseInt(e.Getenv("GITHUB_RUN_ID"), 10, 64)
	if c.asOf != "" {
		if _, err := ledger.ParseMonth(c.asOf); err != nil {
			return nil, fmt.Errorf("input as-of: %w", err)
		}
	}
	c.ledger = cleanDir(c.ledger, "ledger")
	c.reports = cleanDir(c.reports, "reports")
	if c.branch == "" {
		c.branch = "tally/reports"
	}
	if c.workspace == "" {
		c.workspace = "."
	}
	if c.apiURL == "" {
		c.apiURL = "https://api.github.com"
	}
	if c.serverURL == "" {
		c.serverURL = "https://github.com"
	}
	if repo := e.Getenv("GITHUB_REPOSITORY"); repo != "" {
		var ok bool
		if c.owner, c.repo, ok = strings.Cut(repo, "/"); !ok {
			return nil, fmt.Errorf("GITHUB_REPOSITORY %q is not OWNER/NAME", repo)
		}
	}
	return c, nil
}

func cleanDir(p, def string) string {
	if p == "" {
		return def
	}
	return path.Clean(strings.ReplaceAll(p, `\`, "/"))
}

// Run runs the command the step asks for. An error means the step fails;
// it has been written as an error annotation too.
func Run(ctx context.Context, e Env) error {
	defer e.Flush()
	err := run(ctx, &e)
	if err != nil {
		e.Error(err.Error(), Annotation{Title: "tally"})
	}
	return err
}

func run(ctx context.Context, e *Env) error {
	// Before anything else, so that no line of the log can show them.
	e.AddMask(e.Input("github-token"))
	for _, name := range e.Secrets {
		if v := e.Getenv(name); v != "" {
			e.AddMask(v)
		}
	}
	c, err := e.config()
	if err != nil {
		return err
	}
	switch c.command {
	case "check":
		return e.check(ctx, c)
	case "report":
		if err := e.report(ctx, c); err != nil {
			return err
		}
		return e.setChanged(ctx, c)
	case "ingest":
		if err := e.ingest(ctx, c, true); err != nil {
			return err
		}
		return e.setChanged(ctx, c)
	case "monthly":
		return e.monthly(ctx, c)
	case "comment":
		return e.comment(ctx, c)
	case "":
		return errors.New("input command is required: check, comment, report, ingest or monthly")
	default:
		return fmt.Errorf("input command: %q is not check, comment, report, ingest or monthly", c.command)
	}
}

func (e *Env) client(c *config) (*gh.Client, error) {
	if c.owner == "" {
		return nil, errors.New("GITHUB_REPOSITORY is not set: tally action runs inside GitHub Actions")
	}
	return tgh.NewClient(tgh.ClientOptions{APIURL: c.apiURL, Token: c.token, HTTPClient: e.HTTPClient, Sleep: e.Sleep})
}

// ingest runs the sources; for monthly (required false), none at all is
// no error.
func (e *Env) ingest(ctx context.Context, c *config, required bool) error {
	if e.Ingest == nil {
		if !required && len(c.repositories) == 0 {
			return nil
		}
		return errors.New("ingest is not available in this build")
	}
	if c.owner == "" {
		return errors.New("GITHUB_REPOSITORY is not set: tally action runs inside GitHub Actions")
	}
	e.Group("Ingest")
	defer e.EndGroup()
	api := API{URL: c.apiURL, Token: c.token, HTTP: e.HTTPClient, Getenv: e.Getenv}
	err := e.Ingest.Ingest(ctx, api, joinWorkspace(c.workspace, c.ledger), c.repositories, e.Err())
	if errors.Is(err, ErrNothingToIngest) && !required {
		fmt.Fprintln(e.Err(), err)
		return nil
	}
	return err
}

func (e *Env) report(ctx context.Context, c *config) error {
	e.Group("Report")
	defer e.EndGroup()
	return e.Report.Report(ctx, joinWorkspace(c.workspace, c.ledger), joinWorkspace(c.workspace, c.reports), c.asOf, e.Out(), e.Err())
}

// changedFiles lists the files of the ledger and the reports that differ
// from the commit checked out, as slash paths from the repository's top.
func changedFiles(ctx context.Context, c *config) (*gitrev.Repo, []gitrev.Change, error) {
	repo, _, err := gitrev.Find(ctx, c.workspace)
	if err != nil {
		return nil, nil, err
	}
	var all []gitrev.Change
	for _, d := range []string{c.ledger, c.reports} {
		dir, err := inRepo(repo, joinWorkspace(c.workspace, d))
		if err != nil {
			return nil, nil, err
		}
		changes, err := repo.Changes(ctx, "HEAD", "", dir)
		if err != nil {
			return nil, nil, err
		}
		for _, ch := range changes {
			ch.Path = path.Join(dir, ch.Path)
			all = append(all, ch)
		}
	}
	return repo, all, nil
}

// setChanged sets output changed after report or ingest. Outside a git
// work tree there is nothing to compare with: the output is left unset.
func (e *Env) setChanged(ctx context.Context, c *config) error {
	_, changes, err := changedFiles(ctx, c)
	if err != nil {
		e.Warning("output changed is not set: "+err.Error(), Annotation{Title: "tally"})
		return nil
	}
	return e.SetOutput("changed", strconv.FormatBool(len(changes) > 0))
}

// event is the part of a pull_request or pull_request_review event the
// check reads.
type event struct {
	PullRequest *struct {
		Number int `json:"number"`
		User   struct {
			Login string `json:"login"`
		} `json:"user"`
		Head struct {
			Ref  string `json:"ref"`
			SHA  string `json:"sha"`
			Repo *struct {
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"head"`
		Base struct {
			SHA  string `json:"sha"`
			Repo struct {
				FullName string `json:"full_name"`
			} `json:"repo"`
		} `json:"base"`
	} `json:"pull_request"`
}

func readEvent(c *config) (*event, error) {
	if c.eventName != "pull_request" && c.eventName != "pull_request_review" {
		return nil, fmt.Errorf("command check runs on pull_request and pull_request_review events, not %q", c.eventName)
	}
	data, err := os.ReadFile(c.eventPath)
	if err != nil {
		return nil, fmt.Errorf("reading the event (GITHUB_EVENT_PATH): %w", err)
	}
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("reading the event %s: %w", c.eventPath, err)
	}
	if ev.PullRequest == nil || ev.PullRequest.Number == 0 || ev.PullRequest.Base.SHA == "" {
		return nil, fmt.Errorf("the %s event has no pull request", c.eventName)
	}
	return &ev, nil
}
