package cli

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/action"
)

func newAction(s *streams, ingest action.Ingester) *cobra.Command {
	return &cobra.Command{
		Use:   "action",
		Short: "Run as the GitHub Action (reads INPUT_* and the runner's variables)",
		Long: `Action is the entry point of tally's GitHub Action (action.yml). It reads the
step's inputs from INPUT_* variables and the event from GITHUB_EVENT_PATH, and
runs the input command:

  check     validate a pull request's ledger with the base branch's rules,
            show what it changes, and enforce who may change what
  report    write the reports, as tally report does
  ingest    add new credits from the repositories input
  monthly   ingest, report, and open, update or close the pull request
            that publishes what changed

Outputs go to GITHUB_OUTPUT, a Markdown summary to GITHUB_STEP_SUMMARY, and
findings become annotations on the files. The README's "Running in GitHub
Actions" explains the setup.

Exit status: 0 when the step succeeds, 1 when it fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := action.Run(cmd.Context(), action.Env{
				Runtime: action.Runtime{Getenv: os.Getenv, Stdout: s.out},
				Stderr:  s.err,
				Ingest:  ingest,
				Report:  reporter{},
			})
			if err != nil {
				return &exitError{code: exitFindings, err: err}
			}
			return nil
		},
	}
}

// reporter runs tally report for the action.
type reporter struct{}

func (reporter) Report(ctx context.Context, ledgerDir, reportsDir, asOf string, stdout, stderr io.Writer) error {
	err := runReport(&streams{out: stdout, err: stderr}, reportOptions{ledger: ledgerDir, out: reportsDir, asOf: asOf})
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return errors.New("the ledger has findings (listed above); no reports written")
	}
	return err
}
