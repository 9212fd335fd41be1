package cli

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/suggest"
	"github.com/tallyledger/tally/internal/words"
)

type eligibilityOptions struct {
	ledger, asOf string
	json         bool
}

func newEligibility(s *streams) *cobra.Command {
	var o eligibilityOptions
	cmd := &cobra.Command{
		Use:   "eligibility [ORG]",
		Short: "Show each partner criterion, month by month",
		Long: `Eligibility shows, for one organisation or all of them, each criterion of the
partner program as of the end of a month, month by month with the figures
behind it: the organisation's score against min_score, its payments in US
dollars against its country's minimum, and code of conduct sanctions in the
conduct window. For a partner it adds its standing and tier; for what is
unmet, what is missing.

For one organisation it also shows the evidence the leadership weighs: the
score over the contribution window by kind and by project, and patterns
worth a look (many tiny pull requests, a burst at the end of a month, most
of the score from one person, self-merged pull requests, reviews of the
organisation's own people), each "not known" when the credits lack the
facts it needs. --json gives every organisation's evidence.`,
		Example: `  tally eligibility
  tally eligibility northwind --as-of 2026-09
  tally eligibility northwind --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runEligibility(s, o, args) },
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.asOf, "as-of", "", "the last month to consider, YYYY-MM, one that has ended (default: the latest month with credits that has ended)")
	f.BoolVar(&o.json, "json", false, "print the statuses as JSON")
	return cmd
}

func runEligibility(s *streams, o eligibilityOptions, args []string) error {
	b, err := loadValid(s, o.ledger)
	if err != nil {
		return err
	}
	asOf, err := asOfMonth(s, o.asOf, b)
	if err != nil {
		return err
	}
	orgs := b.Ledger.Organizations
	if len(args) == 1 {
		o := b.Index.Orgs[args[0]]
		if o == nil {
			ids := make([]string, 0, len(b.Index.Orgs))
			for id := range b.Index.Orgs {
				ids = append(ids, id)
			}
			msg := fmt.Sprintf("no organisation %q in the ledger", args[0])
			if m := suggest.Closest(args[0], ids); m != "" {
				msg += fmt.Sprintf("; did you mean %q?", m)
			}
			return &exitError{code: exitUsage, err: fmt.Errorf("%s", msg)}
		}
		orgs = []*ledger.Organization{o}
	}
	e := partner.NewEvaluator(b)
	statuses := make([]*partner.Status, 0, len(orgs))
	evidence := make([]*partner.Evidence, 0, len(orgs))
	for _, org := range orgs {
		statuses = append(statuses, e.Evaluate(org, asOf))
		evidence = append(evidence, e.Evidence(org.ID, asOf))
	}
	if o.json {
		_, err := s.out.Write(report.EligibilityJSON(statuses, evidence))
		return err
	}
	for i, st := range statuses {
		if i > 0 {
			fmt.Fprintln(s.out)
		}
		printStatus(s.out, st)
		if len(args) == 1 {
			printEvidence(s.out, evidence[i])
		}
	}
	return nil
}

// asOfMonth reads --as-of, defaulting to the latest complete month with
// credits.
func asOfMonth(s *streams, flag string, b *score.Book) (ledger.Month, error) {
	m, err := monthFlag("as-of", flag)
	if err != nil {
		return 0, err
	}
	if m, err = resolveAsOf(s, b, m); err == nil && m == 0 {
		err = &exitError{code: exitUsage, err: fmt.Errorf("the ledger has no credits in a month that has ended; give the month with --as-of")}
	}
	return m, err
}

func printStatus(w io.Writer, st *partner.Status) {
	verdict := "not yet eligible"
	if st.Eligible {
		verdict = "eligible"
	}
	var partnership string
	switch {
	case st.Partner:
		partnership = fmt.Sprintf("; partner since %s, standing %s", st.Since, st.Standing)
		if st.FailedMonths > 0 {
			partnership += fmt.Sprintf(" (%s below the requirements in a row)", words.Plural(st.FailedMonths, "month"))
		}
		if st.Tier != "" {
			partnership += ", tier " + st.Tier
		}
	case st.Former():
		partnership = fmt.Sprintf("; partner from %s until %s", st.Since, st.Ended)
	}
	fmt.Fprintf(w, "%s (%s) as of %s: %s%s\n", st.Org.ID, st.Org.Name, st.AsOf, verdict, partnership)

	p := st.Practical
	fmt.Fprintf(w, "  contributions  %s  a score of at least %d each month\n", metWord(p.Met), p.MinScore)
	for _, m := range p.Months {
		fmt.Fprintf(w, "    %s  %s%d\n", m.Month, markWord(m.Met), m.Score)
	}
	f := st.Financial
	where := f.Country
	if where == "" {
		where = "no country"
	}
	if f.Basis != partner.BasisIndex {
		where += ", " + string(f.Basis)
	}
	fmt.Fprintf(w, "  payments       %s  at least %s each month (%s)\n", metWord(f.Met), partner.Dollars(f.Minimum), where)
	for _, m := range f.Months {
		extra := ""
		if m.Payments > 0 {
			extra = " from " + words.Plural(m.Payments, "payment")
		}
		if len(m.Unconverted) > 0 {
			extra += "; no rate for " + strings.Join(m.Unconverted, ", ")
		}
		fmt.Fprintf(w, "    %s  %s%s%s\n", m.Month, markWord(m.Met), partner.Dollars(m.Paid), extra)
	}
	c := st.Conduct
	fmt.Fprintf(w, "  conduct        %s  no sanction from %s to %s\n", metWord(c.Met), c.From, c.To)
	for _, sn := range c.Sanctions {
		fmt.Fprintf(w, "    %s  sanction against %s\n", sn.Date, sn.Against())
	}
	if missing := st.Missing(); len(missing) > 0 {
		fmt.Fprintln(w, "  missing:")
		for _, m := range missing {
			fmt.Fprintf(w, "    %s\n", m)
		}
	}
}

// printEvidence shows where an organisation's score came from over the
// contribution window, and the patterns worth a look.
func printEvidence(w io.Writer, ev *partner.Evidence) {
	fmt.Fprintf(w, "  evidence       %s to %s: %s from %s by %s\n", ev.From, ev.To,
		words.Plural(ev.Score, "point"), words.Plural(ev.Credits, "credit"), words.Plural(ev.People, "person"))
	shares := func(list []partner.Share) string {
		parts := make([]string, len(list))
		for i, sh := range list {
			parts[i] = fmt.Sprintf("%s %d from %s", cmp.Or(sh.Name, "(none)"), sh.Score, words.Plural(sh.Credits, "credit"))
		}
		return strings.Join(parts, ", ")
	}
	if len(ev.Kinds) > 0 {
		fmt.Fprintf(w, "    by kind      %s\n", shares(ev.Kinds))
		fmt.Fprintf(w, "    by project   %s\n", shares(ev.Projects))
	}
	for _, f := range ev.Flags {
		fmt.Fprintf(w, "    %-11s  %s: %s\n", f.Status, strings.ReplaceAll(f.Name, "_", " "), f.Summary)
	}
}

func metWord(ok bool) string {
	if ok {
		return "met    "
	}
	return "not met"
}

func markWord(ok bool) string {
	if ok {
		return "  "
	}
	return "✗ "
}
