package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
)

type applyOptions struct {
	ledger, org, contact, statement, date string
	team                                  []string
}

func newApply(s *streams) *cobra.Command {
	var o applyOptions
	cmd := &cobra.Command{
		Use:   "apply --org ID --contact WHO",
		Short: "Write a partner application for an organisation",
		Long: `Apply writes applications/<org>/<date>.yaml for an organisation applying to be
a partner, dated today in the program's time zone, and prints the evidence
the leadership will see: each criterion as of the latest month with credits
that has ended (the month tally eligibility shows by default). An
organisation with an application waiting for a decision cannot apply again.
Open a pull request with the file; the leadership adds its decision there.

The team defaults to the people affiliated with the organisation today.
WHO is a person id or an identity such as github:alice-gh.`,
		Example: `  tally apply --org acme --contact alice --statement "We host Lumen for public bodies."
  tally apply --org acme --contact github:alice-gh --team alice --team github:bob-gh`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runApply(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.org, "org", "", "the applying organisation's id (required)")
	f.StringVar(&o.contact, "contact", "", "who to talk to about the application (required)")
	f.StringArrayVar(&o.team, "team", nil, "a person of the organisation to consider (repeat the flag; default: its people today)")
	f.StringVar(&o.statement, "statement", "", "why the organisation applies, in its own words")
	f.StringVar(&o.date, "date", "", "the submission date, YYYY-MM-DD (default: today in the program's time zone)")
	_ = cmd.MarkFlagRequired("org")
	_ = cmd.MarkFlagRequired("contact")
	return cmd
}

func runApply(s *streams, o applyOptions) error {
	b, err := loadValid(s, o.ledger)
	if err != nil {
		return err
	}
	l, ix := b.Ledger, b.Index
	org := ix.Orgs[o.org]
	if org == nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("no organisation %q in the ledger; add organizations/%s.yaml first", o.org, o.org)}
	}
	day, err := submissionDate(s, o.date, l.Program)
	if err != nil {
		return err
	}
	for _, a := range l.Applications {
		if a.Org == org.ID && a.Decision == nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("%s already has an application waiting for a decision: %s; the leadership decides it first (or, to withdraw it, delete that file)",
				org.ID, inLedger(o.ledger, l.Files[a.File]))}
		}
	}
	for _, who := range append([]string{o.contact}, o.team...) {
		if !strings.Contains(who, ":") && ix.People[who] == nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("no person %q in the ledger; use a person id or an identity such as github:%s", who, who)}
		}
	}
	team := o.team
	if team == nil {
		for _, p := range l.People {
			if !p.Bot && p.AffiliationOn(day) == org.ID && ix.People[p.ID] == p {
				team = append(team, p.ID)
			}
		}
		slices.Sort(team)
	}

	rel := filepath.Join("applications", org.ID, day.String()+".yaml")
	path := filepath.Join(o.ledger, rel)
	if err := atomicfile.WriteNew(path, applicationYAML(day, o.contact, team, o.statement), 0o644); errors.Is(err, fs.ErrExist) {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s already exists: edit it, or apply on another day", path)}
	} else if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing the application: %w", err)}
	}
	fmt.Fprintf(s.err, "wrote %s\n\n", path)

	if m := judgedMonth(b, day); m != 0 {
		fmt.Fprintln(s.out, "The evidence the leadership will see, as of the last complete month:")
		fmt.Fprintln(s.out)
		e := partner.NewEvaluator(b)
		printStatus(s.out, e.Evaluate(org, m))
		printEvidence(s.out, e.Evidence(org.ID, m))
	} else {
		fmt.Fprintf(s.out, "No month with credits has ended before %s: there is no evidence to show yet.\n", day)
	}
	fmt.Fprintf(s.out, "\nNext: open a pull request that adds %s; the leadership reviews it there.\n", filepath.ToSlash(rel))
	return nil
}

// submissionDate is --date, or today in the program's time zone.
func submissionDate(s *streams, flag string, p *ledger.Program) (ledger.Date, error) {
	if flag == "" {
		return today(s, p)
	}
	d, err := ledger.ParseDate(flag)
	if err != nil {
		return 0, &exitError{code: exitUsage, err: fmt.Errorf("--date: %w", err)}
	}
	return d, nil
}

const applicationSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/application.schema.json"

func applicationYAML(day ledger.Date, contact string, team []string, statement string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", applicationSchema)
	fmt.Fprintf(&b, "submitted: %s\n", day)
	fmt.Fprintf(&b, "contact: %s\n", ledger.Scalar(contact))
	if len(team) > 0 {
		quoted := make([]string, len(team))
		for i, t := range team {
			quoted[i] = ledger.Scalar(t)
		}
		fmt.Fprintf(&b, "team: [%s]\n", strings.Join(quoted, ", "))
	}
	if statement != "" {
		fmt.Fprintf(&b, "statement: %s\n", ledger.Scalar(statement))
	} else {
		b.WriteString("# statement: why the organisation applies, in its own words\n")
	}
	return b.Bytes()
}
