package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/newsletter"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

type reportOptions struct {
	ledger, out, asOf, baseURL string
}

func newReport(s *streams) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the monthly, quarterly and annual shout-out reports",
		Long: `Report validates the ledger, then writes a report of every month, quarter and
year with credits, as Markdown for people and JSON for scripts, and an index:

  OUT/monthly/YYYY-MM.md, .json     top contributors and organisations with
  OUT/quarterly/YYYY-Qn.md, .json   their moves since the period before, new,
  OUT/annual/YYYY.md, .json         returning and quiet people, champions...
  OUT/index.md                      links to all of them, the latest first
  OUT/partners.md, .json            the partners directory as of the last month:
                                    standing, tiers, eligibility criterion by
                                    criterion, applications
  OUT/how-it-works.md               how to get on the shout-outs, how scores are made
  OUT/newsletter/YYYY-MM.md, .html  the month's news to paste into a newsletter or
  OUT/newsletter/YYYY-MM.txt        a forum, and a short post for social media
  OUT/site/                         the directory as a web site (tally site)

A file is rewritten only when its content changes, so an unchanged ledger
changes nothing. Reports of periods that no longer have credits are removed;
nothing else in OUT is touched.

When the ledger has findings, report prints them as validate does, writes
nothing and exits 1.`,
		Example: `  tally report
  tally report --ledger path/to/ledger --out path/to/reports
  tally report --as-of 2026-09    # the reports as they stood at the end of September 2026`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runReport(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.out, "out", "reports", "the folder to write the reports to")
	f.StringVar(&o.asOf, "as-of", "", "the last month to report, YYYY-MM, one that has ended (default: the latest month with credits that has ended)")
	f.StringVar(&o.baseURL, "base-url", "", "the address the site is published at, for absolute links (default: program.yaml's reports.site_url)")
	return cmd
}

func runReport(s *streams, o reportOptions) error {
	b, asOf, err := loadAsOf(s, o.ledger, o.asOf, "no reports written", "tally report")
	if err != nil {
		return err
	}
	if asOf == 0 {
		fmt.Fprintf(s.err, "%s has no credits in a month that has ended: nothing to report\n", o.ledger)
	}
	base, err := siteAddress(b, o.baseURL)
	if err != nil {
		return err
	}
	var d *partner.Directory // the partners report and the site share it
	if asOf != 0 {
		d = partner.NewEvaluator(b).NewDirectory(asOf)
	}
	sum, err := report.Write(b, d, o.out, asOf)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the reports: %w", err)}
	}
	if d != nil {
		ss, err := writeSite(b, d, filepath.Join(o.out, "site"), base)
		if err != nil {
			return err
		}
		sum.Written, sum.Unchanged, sum.Removed = sum.Written+ss.Written, sum.Unchanged+ss.Unchanged, sum.Removed+ss.Removed
	}
	ns, err := newsletter.Write(b, o.out, asOf, base)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the newsletters: %w", err)}
	}
	sum.Written, sum.Unchanged, sum.Removed = sum.Written+ns.Written, sum.Unchanged+ns.Unchanged, sum.Removed+ns.Removed
	printWritten(s, o.out, sum.Written, sum.Unchanged, sum.Removed)
	return nil
}

// loadAsOf is loadToWrite for a command that writes what stands as of a
// month: the --as-of month (asOfFlag), checked against the clock, or by
// default the latest month with credits that has ended, which is 0 when
// there is none.
func loadAsOf(s *streams, dir, asOfFlag, nothing, command string) (*score.Book, ledger.Month, error) {
	asOf, err := monthFlag("as-of", asOfFlag)
	if err != nil {
		return nil, 0, err
	}
	b, err := loadToWrite(s, dir, nothing, command)
	if err != nil {
		return nil, 0, err
	}
	asOf, err = resolveAsOf(s, b, asOf)
	return b, asOf, err
}

// resolveAsOf checks the month of --as-of (0: not given) against the
// clock, or chooses the default, judgedMonth as of today. A month to come
// would report periods as over that are not, and one under way would show
// every partner short of its payments.
func resolveAsOf(s *streams, b *score.Book, asOf ledger.Month) (ledger.Month, error) {
	day, err := today(s, b.Ledger.Program)
	if err != nil {
		return 0, err
	}
	if ended := day.Month() - 1; asOf > ended {
		loc, _ := b.Ledger.Program.Location()
		return 0, &exitError{code: exitUsage, err: fmt.Errorf("--as-of %s has not ended yet: the latest month allowed is %s, the last to have ended in %s, the program's time zone", asOf, ended, loc)}
	}
	if asOf != 0 {
		return asOf, nil
	}
	return judgedMonth(b, day), nil
}

// judgedMonth is the month that commands judge by default on a day (the
// reports, the site, eligibility, an application's evidence): the latest
// month with credits that has ended by then, or 0 when there is none.
// Eligibility and ranks look at complete months: a month under way would
// show every partner short of its payments.
func judgedMonth(b *score.Book, day ledger.Date) ledger.Month {
	for i := len(b.Months) - 1; i >= 0; i-- {
		if b.Months[i] < day.Month() {
			return b.Months[i]
		}
	}
	return 0
}

// today is the date in the program's time zone.
func today(s *streams, p *ledger.Program) (ledger.Date, error) {
	loc, err := p.Location()
	if err != nil {
		return 0, &exitError{code: exitUsage, err: err}
	}
	return ledger.DateOf(s.now(), loc), nil
}

// monthFlag reads a YYYY-MM flag; 0 when it is not given.
func monthFlag(name, value string) (ledger.Month, error) {
	if value == "" {
		return 0, nil
	}
	m, err := ledger.ParseMonth(value)
	if err != nil {
		return 0, &exitError{code: exitUsage, err: fmt.Errorf("--%s: %w", name, err)}
	}
	return m, nil
}

// loadToWrite loads, checks and scores the ledger of a command that writes
// files from it. Files made from a broken ledger would mislead, so a ledger
// with findings gets them printed, as validate prints them, and an error.
func loadToWrite(s *streams, dir, nothing, command string) (*score.Book, error) {
	progress := newProgress(s.err, "reading the ledger")
	l, findings, err := loadAndCheck(dir, ledger.Options{Progress: progress.update})
	progress.done()
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if len(findings) > 0 {
		relocate(findings, dir)
		for _, f := range findings {
			fmt.Fprintln(s.out, f)
		}
		fmt.Fprintf(s.err, "%s in %s; %s: fix them and run %s again\n",
			words.Plural(len(findings), "finding"), words.Plural(countFiles(findings), "file"), nothing, command)
		return nil, &exitError{code: exitFindings}
	}
	return score.New(l), nil
}

// printWritten says what a command did to the files of a folder.
func printWritten(s *streams, out string, written, unchanged, removed int) {
	dir := filepath.ToSlash(displayPrefix(out))
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	fmt.Fprintf(s.err, "%s: %s written, %d unchanged, %d removed\n", dir, words.Plural(written, "file"), unchanged, removed)
}
