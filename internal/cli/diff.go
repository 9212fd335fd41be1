package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/diff"
	"github.com/tallyledger/tally/internal/gitrev"
)

type diffOptions struct {
	ledger string
	format string
}

func newDiff(s *streams) *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff BASE [HEAD]",
		Short: "Show what a change to the ledger moves in scores and ranks",
		Long: `Diff compares the ledger at two git revisions of the repository that holds it
and shows, for every month, quarter and year whose results change, who moves
and by how much: each person's and organisation's score, number of credits
and rank before and after, and, in the period after a changed one, the change
since that period. Then why: the credits and payments added, removed or
edited (by id, with the fields that changed) and the other files changed.

BASE and HEAD are revisions (a branch, a tag, a commit, HEAD~1...). Without
HEAD, BASE is compared with the work tree as it is, untracked files included
(ignored ones are not). Nothing is checked out or written.

Only what can move a ranking is read, which keeps diff fast on a large
ledger: for credits and claims, the periods around their months; for the
scoring rules or people's identities, affiliations, bot flags or visibility,
every period. Other changes (payments, applications, organisations, notes...)
move no ranking and are only listed. The ledger is not validated: run tally
validate for that.

Markdown is made for a pull request's check (GitHub step summary or comment);
long lists are cut there, --format json holds everything.

Exit status: 0 whether or not something moves; 2 when the command line is
wrong, the folder is not in a git repository or a revision is unknown.`,
		Example: `  tally diff main                   # the work tree against main
  tally diff origin/main HEAD       # a pull request's commits
  tally diff HEAD~1 HEAD --format json --ledger path/to/ledger`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			head := ""
			if len(args) == 2 {
				head = args[1]
			}
			return runDiff(cmd, s, o, args[0], head)
		},
	}
	cmd.Flags().StringVar(&o.ledger, "ledger", "ledger", "the ledger folder, in a git work tree")
	cmd.Flags().StringVar(&o.format, "format", "md", "the output: md (GitHub Markdown) or json")
	return cmd
}

func runDiff(cmd *cobra.Command, s *streams, o diffOptions, base, head string) error {
	if o.format != "md" && o.format != "json" {
		return &exitError{code: exitUsage, err: fmt.Errorf("--format: %q is not md or json", o.format)}
	}
	res, err := diff.Run(cmd.Context(), diff.Options{Dir: o.ledger, Base: base, Head: head})
	if err != nil {
		var notRepo *gitrev.NotRepoError
		if errors.As(err, &notRepo) {
			err = fmt.Errorf("%w; tally diff compares revisions of the git repository that holds the ledger (use --ledger to point at it)", err)
		}
		return &exitError{code: exitUsage, err: err}
	}
	if o.format == "json" {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.Markdown(s.out)
}
