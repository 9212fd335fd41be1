package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/importer"
	"github.com/tallyledger/tally/internal/words"
)

func newImport(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import opencollective|sponsors|git|credits|all-contributors ...",
		Short: "Add payments, history, credits or people from elsewhere to the ledger",
		Long: `Import adds to the ledger what other places hold: payments (opencollective,
sponsors), a repository's history (git), credits from another tool
(credits), people from an .all-contributorsrc (all-contributors). Each
import only adds, and importing the same thing twice changes nothing.

The payment imports read an export and add its payments to the funding shards,
ledger/funding/<YYYY>/<MM>/<source>.yaml, dated in the program's time zone.
Payments are merged by the source's transaction id, and what the ledger
already holds (hand-written payments and comments too) is kept as written.
Payers are matched to organisations through the organisations' accounts
(opencollective handles for Open Collective, github logins for GitHub
Sponsors), ignoring case. A payer no organisation lists is written with
payer: and no org:, and listed on stderr.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return fmt.Errorf("say what to import: tally import opencollective|sponsors|git|credits|all-contributors (see tally import --help)")
		},
	}
	cmd.AddCommand(
		newImportSource(s, "opencollective FILE.csv", nil,
			"Add the contributions of an Open Collective transactions CSV export",
			`Reads the transactions CSV export (https://rest.opencollective.com/v2/<collective>/transactions.csv,
or the dashboard's Export CSV), with raw keys or human labels as its header,
columns in any order. Only incoming contributions count (CREDIT, CONTRIBUTION),
for their gross amount in the host's currency. A refunded contribution and its
refund cancel out; contributions paid through GitHub Sponsors are skipped, since
'tally import sponsors' counts them. Ids are opencollective:<short transaction id>.`,
			importer.ReadOpenCollective),
		newImportSource(s, "sponsors FILE.csv", []string{"github-sponsors"},
			"Add the payments of a GitHub Sponsors CSV export",
			`Reads the GitHub Sponsors export (Your sponsors -> Export -> CSV). Only settled
transactions count, for their processed amount in US dollars. Ids are
github-sponsors:<transaction id>; sponsors are matched on organisations'
github accounts.`,
			importer.ReadSponsors),
		newImportGit(s),
		newImportCredits(s),
		newImportAllContributors(s),
	)
	return cmd
}

func newImportSource(s *streams, use string, aliases []string, short, long string,
	read func(io.Reader, *time.Location) (*importer.Export, error)) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:     use,
		Aliases: aliases,
		Short:   short,
		Long:    long,
		Example: "  tally import " + strings.Replace(use, "FILE", "export", 1) + " --ledger ledger",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(s, dir, args[0], read)
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "ledger", "the ledger folder")
	return cmd
}

func runImport(s *streams, dir, file string, read func(io.Reader, *time.Location) (*importer.Export, error)) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	l, err := importer.LoadLedger(dir)
	if err != nil {
		return usage(err)
	}
	loc, err := importer.Location(l)
	if err != nil {
		return usage(err)
	}
	f, err := os.Open(file)
	if err != nil {
		return usage(err)
	}
	e, err := read(f, loc)
	f.Close()
	if err != nil {
		return usage(fmt.Errorf("%s: %w", file, err))
	}
	sum, err := importer.Merge(dir, l, e)
	if err != nil {
		return usage(err)
	}
	printImport(s, dir, file, sum)
	return nil
}

func printImport(s *streams, dir, file string, sum *importer.Summary) {
	out := s.out
	fmt.Fprintf(out, "%s: %s read from %s\n", sum.Source, words.Plural(sum.Rows, "row"), file)
	if len(sum.Added) == 0 {
		fmt.Fprintln(out, "added: none")
	} else {
		fmt.Fprintf(out, "added: %s\n", words.Plural(len(sum.Added), "payment"))
		for _, f := range sum.Files {
			created := ""
			if f.Created {
				created = " (new file)"
			}
			fmt.Fprintf(out, "  %s: %d%s\n", inLedger(dir, f.Path), f.Added, created)
		}
	}
	fmt.Fprintf(out, "already in the ledger: %d\n", len(sum.Present))
	fmt.Fprintf(out, "skipped: %d\n", len(sum.Skipped))
	var reasons []string
	byReason := map[string][]importer.Skip{}
	for _, sk := range sum.Skipped {
		if _, ok := byReason[sk.Reason]; !ok {
			reasons = append(reasons, sk.Reason)
		}
		byReason[sk.Reason] = append(byReason[sk.Reason], sk)
	}
	for _, r := range reasons {
		fmt.Fprintf(out, "  %d %s%s\n", len(byReason[r]), r, skipDetails(byReason[r]))
	}
	unmatched := 0
	for _, p := range sum.Unmatched {
		unmatched += len(p.IDs)
	}
	fmt.Fprintf(out, "unmatched payers: %d\n", len(sum.Unmatched))

	// What needs a person goes to stderr, so that it shows in a workflow's
	// log even when the summary is redirected.
	e := s.err
	if len(sum.Unmatched) > 0 {
		platform := "opencollective"
		if sum.Source == importer.GitHubSponsors {
			platform = "github"
		}
		fmt.Fprintf(e, "Payers that match no organisation's accounts (%s, written with payer: and no org:):\n",
			words.Plural(unmatched, "payment"))
		for _, p := range sum.Unmatched {
			fmt.Fprintf(e, "  %s: %s\n", p.Handle, strings.Join(p.IDs, ", "))
		}
		fmt.Fprintf(e, "To count them for an organisation, add the payer to its accounts (organizations/<id>.yaml: accounts: {%s: HANDLE}) and set org: on those payments.\n", platform)
	}
	for _, a := range sum.Attributable {
		fmt.Fprintf(e, "%s: %s names only payer %s, which %s now lists in its accounts; set org: %s on it\n",
			inLedger(dir, a.File), a.ID, a.Payer, a.Org, a.Org)
	}
	for _, d := range sum.Differs {
		fmt.Fprintf(e, "%s: %s differs from the export (%s); the ledger is left as it is: check which is right\n",
			inLedger(dir, d.File), d.ID, d.What)
	}
	for _, r := range sum.RefundedInLedger {
		by := ""
		if r.By != "" {
			by = " (by " + r.By + ")"
		}
		fmt.Fprintf(e, "%s: %s was refunded%s; imports never remove payments, so remove it by hand\n",
			inLedger(dir, r.File), r.ID, by)
	}
}

// skipDetails lists the ids of skipped rows, a few of them.
func skipDetails(skips []importer.Skip) string {
	const most = 5
	var parts []string
	for i, sk := range skips {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(skips)-most))
			break
		}
		p := sk.ID
		if p == "" {
			p = fmt.Sprintf("line %d", sk.Line)
		}
		if sk.Detail != "" {
			p += " (" + sk.Detail + ")"
		}
		parts = append(parts, p)
	}
	return ": " + strings.Join(parts, ", ")
}

// inLedger is a path inside the ledger as the user named the ledger.
func inLedger(dir, p string) string {
	return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(p)))
}
