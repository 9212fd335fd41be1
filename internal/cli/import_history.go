package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/importer"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

type importGitFlags struct {
	dir, project, since, until string
}

func newImportGit(s *streams) *cobra.Command {
	var f importGitFlags
	cmd := &cobra.Command{
		Use:   "git REPO",
		Short: "Add the credits of a repository's history: merged pull requests and commits",
		Long: `Import git reads the history of the branch checked out in REPO (a clone on
this machine), the commits that landed on it (its first-parent line), with
the git binary, and adds to credits/<YYYY>/<MM>/git.yaml:

  pull_request  a merge commit "Merge pull request #N from LOGIN/...", or a
                commit whose subject ends in "(#N)" (the last one when there
                are two): id github:OWNER/NAME#N, the id ingest github gives
                the same pull request, so the two never count it twice
  commit        any other commit: id git:OWNER/NAME@<hash>

A credit is dated the day its commit landed (the committer date) in the
program's time zone. Authors are github:LOGIN when the history says so (a
GitHub noreply address, the LOGIN of a merge from a fork; a merge from a
branch of the project's own owner is its branch's author), else
git:<the first 12 hex digits of the SHA-1 of the lowercased e-mail address>,
with the author's name as a fact for 'tally people suggest'. E-mail
addresses are never written or printed. The repository's .mailmap applies:
list a person's addresses there before importing to give them one identity.

Bots, and kinds the program does not define on a credit's date, are skipped
and counted. Credits are merged by id, so importing again adds nothing, and
existing shards keep their text.`,
		Example: `  tally import git ../widget --project acme/widget
  tally import git ../widget --since 2020-01-01 --until 2025-12-31`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runImportGit(cmd.Context(), s, f, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.dir, "ledger", "ledger", "the ledger folder")
	fl.StringVar(&f.project, "project", "", "the repository on GitHub, OWNER/NAME (default: from its origin remote)")
	fl.StringVar(&f.since, "since", "", "only commits that landed on or after this day, YYYY-MM-DD")
	fl.StringVar(&f.until, "until", "", "only commits that landed on or before this day, YYYY-MM-DD")
	return cmd
}

func runImportGit(ctx context.Context, s *streams, f importGitFlags, repo string) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	var since, until ledger.Date
	for _, d := range []struct {
		flag, value string
		to          *ledger.Date
	}{{"since", f.since, &since}, {"until", f.until, &until}} {
		if d.value == "" {
			continue
		}
		v, err := ledger.ParseDate(d.value)
		if err != nil {
			return usage(fmt.Errorf("--%s: %w", d.flag, err))
		}
		*d.to = v
	}
	if since != 0 && until != 0 && until < since {
		return usage(fmt.Errorf("--until %s is before --since %s", until, since))
	}
	l, err := importer.LoadCreditLedger(f.dir)
	if err != nil {
		return usage(err)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	imp, err := importer.ReadGit(ctx, importer.GitOptions{Dir: repo, Project: f.project, Since: since, Until: until, Ledger: l})
	if err != nil {
		return usage(err)
	}
	files, err := importer.WriteCredits(f.dir, importer.GitSource, imp.Credits)
	if err != nil {
		return usage(fmt.Errorf("%w; nothing was written", err))
	}
	out := s.out
	fmt.Fprintf(out, "%s: %s on the first-parent line", imp.Project, words.Plural(imp.Commits, "commit"))
	if imp.Outside > 0 {
		fmt.Fprintf(out, ", %d outside --since/--until", imp.Outside)
	}
	fmt.Fprintln(out)
	printCreditsAdded(out, f.dir, imp.Credits, files)
	fmt.Fprintf(out, "already in the ledger: %d\n", imp.Present)
	printSkipped(s, l, imp.Skipped)
	if imp.Unowned > 0 {
		fmt.Fprintf(s.err, "%s no person owns wrote new credits: 'tally people suggest' matches them to people.\n", words.Plural(imp.Unowned, "author"))
	}
	return nil
}

// printCreditsAdded says how many credits of each kind went to which shard.
func printCreditsAdded(out io.Writer, dir string, credits []ledger.Credit, files []importer.FileChange) {
	if len(credits) == 0 {
		fmt.Fprintln(out, "credits added: none")
		return
	}
	kinds := map[string]int{}
	for _, c := range credits {
		kinds[c.Kind]++
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, kinds[k]))
	}
	fmt.Fprintf(out, "credits added: %d (%s)\n", len(credits), strings.Join(parts, ", "))
	for _, sh := range files {
		created := ""
		if sh.Created {
			created = " (new file)"
		}
		fmt.Fprintf(out, "  %s: %d%s\n", inLedger(dir, sh.Path), sh.Added, created)
	}
}

// printSkipped counts what was not credited on stdout, and says why on
// stderr, grouped: a history can hold thousands of commits of a kind the
// program does not define.
func printSkipped(s *streams, l *ledger.Ledger, skipped []importer.SkippedCredit) {
	var bots []string
	type group struct {
		kind string
		from ledger.Date // the scoring period's start; 0 before the first
	}
	kinds := map[group][]importer.SkippedCredit{}
	var order []group
	twice := 0
	for _, sk := range skipped {
		switch sk.Reason {
		case importer.SkipBot:
			bots = append(bots, sk.Who)
		case importer.SkipTwice:
			twice++
		default:
			g := group{kind: sk.Kind}
			if sp := l.Program.PeriodOn(sk.Date); sp != nil {
				g.from = sp.From
			}
			if kinds[g] == nil {
				order = append(order, g)
			}
			kinds[g] = append(kinds[g], sk)
		}
	}
	undefined := len(skipped) - len(bots) - twice
	fmt.Fprintf(s.out, "skipped: %d by bots, %d of kinds the program does not define on their date", len(bots), undefined)
	if twice > 0 {
		fmt.Fprintf(s.out, ", %d landed twice", twice)
	}
	fmt.Fprintln(s.out)
	if len(bots) > 0 {
		slices.Sort(bots)
		fmt.Fprintf(s.err, "Skipped credits of bots: %s\n", strings.Join(slices.Compact(bots), ", "))
	}
	for _, g := range order {
		sk := kinds[g]
		period := "before the first scoring period"
		if g.from != 0 {
			period = "in the scoring period from " + g.from.String()
		}
		first, last := sk[0].Date, sk[0].Date
		for _, k := range sk {
			first, last = min(first, k.Date), max(last, k.Date)
		}
		span := first.String()
		if last != first {
			span += " to " + last.String()
		}
		fmt.Fprintf(s.err, "Skipped %s of kind %s, %s (%s): add the kind to that period of program.yaml to count them\n",
			words.Plural(len(sk), "credit"), g.kind, period, span)
	}
}

func newImportCredits(s *streams) *cobra.Command {
	var dir, source string
	cmd := &cobra.Command{
		Use:   "credits FILE --source NAME",
		Short: "Add credits from another tool: a CSV or JSON Lines file of credits",
		Long: `Import credits adds the credits of a file to credits/<YYYY>/<MM>/NAME.yaml.
The file is CSV with a header row, or JSON Lines (one object per line); it is
told by its extension (.csv, .jsonl, .ndjson), else by its first character.
Its columns, or keys, are a credit's fields: id, who, kind, date, url, title,
project, org (who, kind and date are required). A date may be a time
(2026-10-03T14:00:00Z), which becomes its day in the program's time zone.

A row without an id gets one from its content, NAME:<12 hex digits>, so that
importing the same file again adds nothing (a row edited since becomes a new
credit: give rows ids when the other tool has them). Identical rows without
ids are distinct credits (-2, -3 after the id).

Every row is checked as tally validate checks a credit (its fields, its kind
in the scoring period of its date, who, org) before anything is written: a
row that fails is printed as FILE:LINE: message, and then nothing is written
and the exit status is 1.`,
		Example: "  tally import credits savannah-export.csv --source savannah",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImportCredits(s, dir, source, args[0])
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "ledger", "the ledger folder")
	cmd.Flags().StringVar(&source, "source", "", "the source's name: the shards' file name and the generated ids' prefix (required)")
	_ = cmd.MarkFlagRequired("source")
	return cmd
}

func runImportCredits(s *streams, dir, source, file string) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	l, err := importer.LoadCreditLedger(dir)
	if err != nil {
		return usage(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return usage(err)
	}
	imp, err := importer.ReadCredits(dir, l, source, file, data)
	if err != nil {
		return usage(err)
	}
	if len(imp.Errors) > 0 {
		for _, e := range imp.Errors {
			fmt.Fprintf(s.out, "%s:%d: %s\n", filepath.ToSlash(file), e.Line, e.Message)
		}
		return &exitError{code: exitFindings, err: fmt.Errorf("%s cannot be imported; nothing was written", words.Plural(len(imp.Errors), "problem"))}
	}
	files, err := importer.WriteCredits(dir, source, imp.Credits)
	if err != nil {
		return usage(fmt.Errorf("%w; nothing was written", err))
	}
	fmt.Fprintf(s.out, "%s: %s read from %s\n", source, words.Plural(imp.Rows, "row"), file)
	printCreditsAdded(s.out, dir, imp.Credits, files)
	fmt.Fprintf(s.out, "already in the ledger: %d\n", imp.Present)
	if imp.Twice > 0 {
		fmt.Fprintf(s.out, "rows repeated in the file: %d\n", imp.Twice)
	}
	return nil
}

func newImportAllContributors(s *streams) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "all-contributors FILE",
		Short: "Add the people of an .all-contributorsrc that the ledger lacks",
		Long: `Import all-contributors writes people/<id>.yaml (name, and the login as the
github identity, or gitlab for a repoType gitlab file) for each contributor
of an .all-contributorsrc whom no person has yet: no person's identity on
that platform is the login, whatever its case. Ids come from names: ASCII
lowercase, accents folded, words joined by dashes ("Petr Šnobl" is
petr-snobl), with -2, -3 when taken. A file is never overwritten, and
importing again writes nothing. Bots are skipped.

The file has no dates, so it gives no credits: the summary says which of its
contribution types the program has a kind for, and which it has none for
(add a kind to program.yaml, or credit them with tally import credits).`,
		Example: "  tally import all-contributors ../widget/.all-contributorsrc",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImportAllContributors(s, dir, args[0])
		},
	}
	cmd.Flags().StringVar(&dir, "ledger", "ledger", "the ledger folder")
	return cmd
}

func runImportAllContributors(s *streams, dir, file string) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	l, err := importer.LoadPeopleLedger(dir)
	if err != nil {
		return usage(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return usage(err)
	}
	ac, err := importer.ReadAllContributors(l, data)
	if err != nil {
		return usage(fmt.Errorf("%s: %w", file, err))
	}
	written, existed, err := importer.WritePeople(dir, ac)
	out := s.out
	fmt.Fprintf(out, "%s: %s\n", file, words.Plural(ac.Contributors, "contributor"))
	fmt.Fprintf(out, "people added: %d\n", len(written))
	for _, p := range written {
		fmt.Fprintf(out, "  %s\n", inLedger(dir, p))
	}
	fmt.Fprintf(out, "already in the ledger: %d\n", ac.Known)
	fmt.Fprintf(out, "skipped: %d bots, %d listed twice, %d without a login\n", len(ac.Bots), ac.Twice, ac.NoLogin)
	var with, without []string
	for _, t := range ac.Types {
		if t.Kind != "" {
			with = append(with, fmt.Sprintf("%s -> %s (%s)", t.Type, t.Kind, words.Plural(t.Contributors, "contributor")))
		} else {
			without = append(without, fmt.Sprintf("%s (%s)", t.Type, words.Plural(t.Contributors, "contributor")))
		}
	}
	fmt.Fprintf(out, "types with a kind: %s\n", listOrNone(with))
	fmt.Fprintf(out, "types with no kind: %s\n", listOrNone(without))
	for _, p := range existed {
		fmt.Fprintf(s.err, "%s appeared while importing and was left as it is; import again to give its contributor another id\n", inLedger(dir, p))
	}
	if len(ac.Bots) > 0 {
		fmt.Fprintf(s.err, "Skipped bots: %s\n", strings.Join(ac.Bots, ", "))
	}
	if err != nil {
		return usage(err)
	}
	return nil
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, "; ")
}
