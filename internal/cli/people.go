package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/people"
	"github.com/tallyledger/tally/internal/words"
)

func newPeople(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "people suggest",
		Short: "Keep people tidy: likely duplicates and missing links",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return &exitError{code: exitUsage, err: errors.New("say what to do: tally people suggest")}
		},
	}
	cmd.AddCommand(newPeopleSuggest(s))
	return cmd
}

func newPeopleSuggest(s *streams) *cobra.Command {
	var dir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "suggest",
		Short: "List likely duplicate people and identities that belong to someone",
		Long: `Suggest lists, most credits first, what likely needs a person's attention in
the ledger's people, each with the lines that fix it:

  same-name    two people with the same name (accents, case and bracketed
               asides such as "(he/him)" aside): likely one person
  same-handle  two people with the same handle on two platforms
  handle       an identity nobody owns whose handle a person has on another
               platform (discourse:alice-gh, when alice has github: alice-gh)
  name         an identity nobody owns whose handle is a person's name, or
               whose commits are signed with it (git:<hash> from tally
               import git)

It only suggests: nothing is written. A person decides, and edits the files.`,
		Example: "  tally people suggest\n  tally people suggest --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPeopleSuggest(s, dir, asJSON)
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "ledger", "the ledger folder")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the suggestions as JSON")
	return cmd
}

func runPeopleSuggest(s *streams, dir string, asJSON bool) error {
	include := func(p string) bool {
		return strings.HasPrefix(p, "people/") || strings.HasPrefix(p, "credits/") || strings.HasPrefix(p, "claims/")
	}
	l, _, err := ledger.Load(dir, ledger.Options{Include: include, Trusted: true})
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("cannot read the ledger: %w", err)}
	}
	suggestions := people.Suggest(l)
	prefix := displayPrefix(dir)
	for i := range suggestions {
		sg := &suggestions[i]
		for _, p := range []*string{&sg.File, &sg.Delete} {
			if *p != "" {
				*p = inLedger(prefix, *p)
			}
		}
		for j := range sg.Rewrite {
			sg.Rewrite[j].File = inLedger(prefix, sg.Rewrite[j].File)
		}
	}
	if asJSON {
		if suggestions == nil {
			suggestions = []people.Suggestion{}
		}
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Suggestions []people.Suggestion `json:"suggestions"`
		}{suggestions})
	}
	if len(suggestions) == 0 {
		fmt.Fprintln(s.out, "No suggestions: no two people share a name, and no identity nobody owns matches a person.")
		return nil
	}
	fmt.Fprintf(s.out, "%s, most credits first:\n", words.Plural(len(suggestions), "suggestion"))
	for i, sg := range suggestions {
		fmt.Fprintln(s.out)
		printSuggestion(s.out, i+1, sg)
	}
	return nil
}

func printSuggestion(w io.Writer, n int, sg people.Suggestion) {
	if sg.Delete != "" { // two people, likely one
		fmt.Fprintf(w, "%d. %s (%s) %s %s. If they are one person:\n", n, sg.Delete, words.Plural(sg.Credits, "credit"), sg.Reason, sg.File)
	} else {
		fmt.Fprintf(w, "%d. %s (%s, nobody's) %s %s.\n", n, sg.Subject, words.Plural(sg.Credits, "credit"), sg.Reason, sg.File)
	}
	if len(sg.Add) > 0 {
		fmt.Fprintf(w, "   add to the identities of %s:\n", sg.File)
		for _, id := range sg.Add {
			fmt.Fprintf(w, "     %s: %s\n", id.Platform, ledger.Scalar(id.Handle))
		}
	}
	for _, c := range sg.Conflicts {
		fmt.Fprintf(w, "   %s: %s cannot join %s, which has %s: %s (one handle a platform): keep the one in use\n",
			c.Platform, ledger.Scalar(c.Handle), sg.File, c.Platform, ledger.Scalar(c.Has))
	}
	for _, r := range sg.Rewrite {
		lines := make([]string, len(r.Lines))
		for i, l := range r.Lines {
			lines[i] = strconv.Itoa(l)
		}
		word := "lines"
		if len(lines) == 1 {
			word = "line"
		}
		fmt.Fprintf(w, "   change who: %s to who: %s in %s, %s %s\n", ledger.Scalar(r.Who), r.To, r.File, word, strings.Join(lines, ", "))
	}
	if sg.Delete != "" {
		fmt.Fprintf(w, "   then delete %s\n", sg.Delete)
	}
}
