package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

type explainOptions struct {
	ledger string
	month  string
	json   bool
}

func newExplain(s *streams) *cobra.Command {
	var o explainOptions
	cmd := &cobra.Command{
		Use:   "explain person|org ID --month YYYY-MM",
		Short: "Show the credits behind a score",
		Long: `Explain lists every credit behind a person's or an organisation's score in a
month: its weight in the scoring period of its date and what set it (its
kind's weight, or the first of the period's rules that matched it, and the
rules that could not judge it because it lacks the facts they read), the
monthly cap that lowered it, the organisation it counts for and why (the
credit's own org, or the person's affiliation on that date), where it is
written, and the total.

A person is a person id or an identity such as github:alice-gh.`,
		Example: `  tally explain person alice-example --month 2026-10
  tally explain org acme --month 2026-10 --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return runExplain(s, o, args[0], args[1]) },
	}
	cmd.Flags().StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	cmd.Flags().StringVar(&o.month, "month", "", "the month, YYYY-MM (required)")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the explanation as JSON")
	_ = cmd.MarkFlagRequired("month")
	return cmd
}

func runExplain(s *streams, o explainOptions, subject, id string) error {
	month, err := ledger.ParseMonth(o.month)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--month: %w", err)}
	}
	if subject != "person" && subject != "org" {
		return &exitError{code: exitUsage, err: fmt.Errorf("explain person ID or org ID, not %q", subject)}
	}
	b, err := loadValid(s, o.ledger)
	if err != nil {
		return err
	}
	e, err := b.Explain(subject, id, month)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if o.json {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	}
	fmt.Fprintf(s.out, "%s (%s), %s: score %d from %s\n\n", e.ID, e.Name, e.Month, e.Score, words.Plural(e.Credits, "credit"))
	if len(e.Lines) == 0 {
		return nil
	}
	w := tabwriter.NewWriter(s.out, 0, 0, 2, ' ', 0)
	counted := "org"
	if subject == "org" {
		counted = "who"
	}
	fmt.Fprintf(w, "date\tkind\tweight\tweighed by\tscore\t%s\tattribution\tcredit\n", counted)
	for _, l := range e.Lines {
		other := l.Org
		if subject == "org" {
			other = l.Who
		}
		credit := l.ID
		if l.Title != "" {
			credit += " " + l.Title
		}
		var notes []string
		if l.Why != "" {
			notes = append(notes, l.Why)
		}
		notes = append(notes, unjudged(l.Unjudged)...)
		if len(notes) > 0 {
			credit += " (" + strings.Join(notes, "; ") + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", l.Date, l.Kind, l.Weight, l.WeighedBy, l.Score, orDash(other), l.Attribution, credit)
	}
	fmt.Fprintf(w, "total\t\t\t\t%d\t\t\t\n", e.Score)
	return w.Flush()
}

// unjudged says which rules could not judge a credit, by what it lacks:
// "rules 3 and 5 not judged: no additions fact".
func unjudged(list []score.Unjudged) []string {
	var whys []string
	rules := map[string][]string{}
	for _, u := range list {
		if rules[u.Why] == nil {
			whys = append(whys, u.Why)
		}
		rules[u.Why] = append(rules[u.Why], strconv.Itoa(u.Rule))
	}
	out := make([]string, len(whys))
	for i, why := range whys {
		noun := "rule"
		if len(rules[why]) > 1 {
			noun = "rules"
		}
		out[i] = fmt.Sprintf("%s %s not judged: %s", noun, words.List(rules[why]), why)
	}
	return out
}

// loadValid loads and scores a ledger, refusing one with findings: numbers
// computed from a broken ledger would mislead.
func loadValid(s *streams, dir string) (*score.Book, error) {
	l, findings, err := loadAndCheck(dir, ledger.Options{})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if len(findings) > 0 {
		relocate(findings, dir)
		for _, f := range findings {
			fmt.Fprintln(s.err, f)
		}
		return nil, &exitError{code: exitFindings, err: fmt.Errorf("the ledger has %s; run tally validate and fix them first", words.Plural(len(findings), "finding"))}
	}
	return score.New(l), nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
