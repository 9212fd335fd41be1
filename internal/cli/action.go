package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/action"
)

// newAction reads the step's inputs and the runner's variables through
// getenv.
func newAction(s *streams, ingest action.Ingester, getenv func(string) string) *cobra.Command {
	return &cobra.Command{
		Use:   "action",
		Short: "Run as the GitHub Action (reads INPUT_* and the runner's variables)",
		Long: `Action is the entry point of tally's GitHub Action (action.yml). It reads the
step's inputs from INPUT_* variables and the event from GITHUB_EVENT_PATH, and
runs the input command:

  check     validate a pull request's ledger with the base branch's rules,
            show what it changes, enforce who may change what, comment on
            the pull request and ask for the reviews it needs
  comment   post the comment a check with a read-only token saved (a
            workflow_run workflow, for pull requests from forks)
  report    write the reports, as tally report does
  ingest    add new credits from the repositories input
  monthly   ingest, report, and open, update or close the pull request
            that publishes what changed

Outputs go to GITHUB_OUTPUT, a Markdown summary to GITHUB_STEP_SUMMARY, and
findings become annotations on the files. docs/action.md (Running in GitHub
Actions) explains the setup.

Exit status: 0 when the step succeeds, 1 when it fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := action.Run(cmd.Context(), action.Env{
				Runtime: action.NewRuntime(getenv, s.out, s.err),
				Ingest:  ingest,
				Secrets: secretNames(),
				Report:  reporter{now: s.now},
				Now:     s.now,
			})
			if err != nil {
				// Run wrote it to the log, where the runner must read
				// nothing from its data: it is not printed again.
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
}

// reporter runs tally report for the action, on the command line's clock.
type reporter struct{ now func() time.Time }

func (r reporter) Report(ctx context.Context, ledgerDir, reportsDir, asOf string, stdout, stderr io.Writer) error {
	err := runReport(&streams{out: stdout, err: stderr, now: r.now}, reportOptions{ledger: ledgerDir, out: reportsDir, asOf: asOf})
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return errors.New("the ledger has findings (listed above); no reports written")
	}
	return err
}

// sourcesIngester runs tally ingest for the action: every source of
// program.yaml, with the repositories input added to github's, the
// action's token and API for GitHub, and the runner's environment for the
// other sources' secrets. A run stopped by a rate limit saves what it
// fetched; the action goes on with that, and the next run continues.
type sourcesIngester struct{ now func() time.Time }

func (g sourcesIngester) Ingest(ctx context.Context, api action.API, ledgerDir string, repos []string, stderr io.Writer) error {
	github := map[string]string{"GITHUB_TOKEN": api.Token, "GITHUB_API_URL": api.URL, "GH_TOKEN": ""}
	deps := ingestDeps{
		lookupEnv: func(k string) (string, bool) {
			if v, ok := github[k]; ok {
				return v, v != ""
			}
			if api.Getenv == nil {
				return "", false
			}
			v := api.Getenv(k)
			return v, v != ""
		},
		client: api.HTTP,
	}
	flags := ingestFlags{repos: repos, dir: ledgerDir, maxWait: 15 * time.Minute}
	err := runIngestion(ctx, &streams{in: strings.NewReader(""), out: stderr, err: stderr, now: g.now}, deps, flags, "")
	var ee *exitError
	switch {
	case errors.As(err, &ee) && ee.code == exitStopped:
		fmt.Fprintln(stderr, "tally:", ee.err)
		return nil
	case errors.As(err, &ee) && errors.Is(ee.err, errNothingToIngest):
		return action.ErrNothingToIngest
	}
	return err
}
