package cli

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/forget"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

func newForget(s *streams) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "forget PERSON",
		Short: "Erase a person from the ledger, keeping every organisation's figures",
		Long: `Forget answers an erasure request. The person's file goes, and with it
their name and identities. Each of their credits (in shards and claims) gets
the identity anonymous:<12 random hex digits>, the same for all of them and
linked to nothing (a hash of their id could be checked by anyone guessing
it), and the organisation it counted for (its own org, else their
affiliation on its date). Their credits still
count as one contributor's, listed as "Anonymous contributor" and never by
id. They leave applications' teams (an application they are the contact of
gets the anonymous identity), and an old conduct record that names them is
rewritten to name the organisation, as the privacy rule asks.

Files are edited in place: their other text, comments and order stay as
written, and each is written atomically. Nothing is written unless the
ledger as it will be is as valid as before and every organisation's figures
(scores, credits, people, sanctions, month by month) are unchanged. A person
in program.yaml's leadership or team_leads cannot be forgotten until a rules
change takes them out.

It prints what changed, and the lines of free text (notes, titles, links)
that may still name the person, to edit by hand. Run tally report afterwards.
The git history keeps earlier versions: removing them is a history rewrite.

Exit status: 0 when the person was forgotten, 1 when the ledger has findings
to fix first, 2 when the person is unknown (or forgotten already), may not be
forgotten, or a file cannot be read or edited.`,
		Example: `  tally forget reto-baumann
  tally forget reto-baumann --ledger path/to/ledger`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runForget(s, dir, args[0]) },
	}
	cmd.Flags().StringVar(&dir, "ledger", "ledger", "the ledger folder")
	return cmd
}

func runForget(s *streams, dir, id string) error {
	l, findings, err := loadAndCheck(dir, ledger.Options{})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	// Old conduct records are findings that forget itself may fix; any
	// other finding could make it misattribute a credit.
	findings = slices.DeleteFunc(findings, func(f ledger.Finding) bool { return f.Rule == "privacy" })
	known := slices.ContainsFunc(l.People, func(p *ledger.Person) bool { return p.ID == id })
	if len(findings) > 0 && known {
		relocate(findings, dir)
		for _, f := range findings {
			fmt.Fprintln(s.out, f)
		}
		fmt.Fprintf(s.err, "%s in %s; nothing was changed: fix them and run tally forget again\n",
			words.Plural(len(findings), "finding"), words.Plural(countFiles(findings), "file"))
		return &exitError{code: exitFindings}
	}
	who, err := ledger.NewAnonymousWho(s.random)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	plan, err := forget.New(dir, l, id, who)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := plan.Apply(); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w; some files may be written already: see git status, and run tally forget %s again (or restore the ledger with git first)", err, id)}
	}
	prefix := displayPrefix(dir)
	fmt.Fprintf(s.out, "forgot %s: their credits are now %s, \"Anonymous contributor\" in reports\n", id, plan.Who)
	for _, c := range plan.Changes {
		fmt.Fprintf(s.out, "  %s: %s\n", displayPath(prefix, c.Path), c.What)
	}
	fmt.Fprintln(s.out, "Every organisation's figures are as they were. Run tally report to update the reports.")
	if plan.NamedIDs > 0 {
		fmt.Fprintf(s.out, "%s hold one of their handles, as ingestion wrote them; ids stay, so that ingesting again does not add those credits twice.\n",
			words.Plural(plan.NamedIDs, "credit id"))
	}
	if len(plan.Mentions) > 0 {
		fmt.Fprintln(s.out, "These lines may still name them (free text: edit them by hand if they do):")
		for _, m := range plan.Mentions {
			fmt.Fprintf(s.out, "  %s:%d: %s\n", displayPath(prefix, m.Path), m.Line, m.Term)
		}
	}
	return nil
}
