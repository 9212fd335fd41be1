package cli

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/suggest"
	"github.com/tallyledger/tally/internal/words"
)

type claimOptions struct {
	ledger, kind, who, date, evidence, title, slug string
}

func newClaim(s *streams) *cobra.Command {
	var o claimOptions
	cmd := &cobra.Command{
		Use:   "claim KIND --who WHO --date YYYY-MM-DD --evidence URL",
		Short: "Write a claim: one credit for work no source records",
		Long: `Claim writes claims/KIND/YYYY/SLUG.yaml, one credit for work that no source
records (a talk, a meetup, help in chat), after checking it against the
ledger: KIND must be a kind of the scoring period of the date, WHO a person
id or an identity such as github:alice-gh, the date not after today in the
program's time zone, and the evidence a public http(s) link. It never
overwrites a file: the slug (default: from the title, else from WHO and the
date) gets a number when one is taken.

Then it prints the pull request to open and who reviews it: a lead of the
kind's area, or for a kind without one a team lead or a member of the
leadership.`,
		Example: `  tally claim talk --who github:alice-gh --date 2026-10-12 \
    --evidence https://meetup.example/lumen/2026-10 --title "Lumen at the Berlin meetup"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.kind = args[0]
			return runClaim(s, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.who, "who", "", "who did the work: a person id or platform:handle (required)")
	f.StringVar(&o.date, "date", "", "the day of the work, YYYY-MM-DD (required)")
	f.StringVar(&o.evidence, "evidence", "", "a public http(s) link that shows the work (required)")
	f.StringVar(&o.title, "title", "", "a short title for the reports")
	f.StringVar(&o.slug, "slug", "", "the file's name without .yaml (default: from the title, else from WHO and the date)")
	for _, name := range []string{"who", "date", "evidence"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

var (
	kindName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	slugName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)
)

func runClaim(s *streams, o claimOptions) error {
	usage := func(format string, args ...any) error {
		return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
	}
	if !kindName.MatchString(o.kind) {
		return usage("%q is not a kind: lowercase letters, digits and underscores, such as talk", o.kind)
	}
	if o.slug != "" && !slugName.MatchString(o.slug) {
		return usage("--slug %q: lowercase letters, digits and hyphens, such as berlin-meetup", o.slug)
	}
	day, err := ledger.ParseDate(o.date)
	if err != nil {
		return usage("--date: %w", err)
	}
	if u, err := url.Parse(o.evidence); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usage("--evidence %q is not an http(s) link such as https://example.org/talks/42", o.evidence)
	}
	b, err := loadValid(s, o.ledger)
	if err != nil {
		return err
	}
	p, ix := b.Ledger.Program, b.Index
	loc, err := p.Location()
	if err != nil {
		return usage("%w", err)
	}
	if today := ledger.DateOf(s.now(), loc); day > today {
		return usage("--date %s is after today (%s in %s): claim work once it is done", day, today, p.Timezone)
	}
	sp := p.PeriodOn(day)
	if sp == nil {
		return usage("--date %s is before the program's first scoring period: no kind scores then", day)
	}
	rule, ok := sp.Kinds[o.kind]
	if !ok {
		return usage("%q is not a kind of the scoring period from %s%s", o.kind, sp.From, kindHint(o.kind, sp))
	}
	if !strings.Contains(o.who, ":") && ix.People[o.who] == nil {
		return usage("--who: no person %q in the ledger; use a person id or an identity such as github:%s", o.who, o.who)
	}

	rel, err := writeClaim(o, day)
	if err != nil {
		return err
	}
	name := filepath.Join(o.ledger, filepath.FromSlash(rel))
	// What tally validate says of the ledger with the claim; it was clean
	// before, so every finding is the claim's.
	_, findings, err := loadAndCheck(o.ledger, ledger.Options{})
	if err != nil || len(findings) > 0 {
		os.Remove(name)
		if err != nil {
			return usage("%w", err)
		}
		relocate(findings, o.ledger)
		for _, f := range findings {
			fmt.Fprintln(s.err, f)
		}
		return &exitError{code: exitFindings, err: fmt.Errorf("the claim does not validate, so it was not kept (%s)", words.Plural(len(findings), "finding"))}
	}
	fmt.Fprintf(s.err, "wrote %s\n\n", filepath.ToSlash(name))

	shown := displayPath(displayPrefix(o.ledger), rel)
	branch := "claim/" + strings.TrimSuffix(path.Base(rel), ".yaml")
	fmt.Fprintf(s.out, `Next: open a pull request that adds it:
  git switch -c %s
  git add %s
  git commit -m %s
  git push -u origin %s
`, branch, shellWord(shown), shellWord("Claim "+o.kind+": "+cmp.Or(o.title, day.String())), branch)

	ids, who := p.ClaimReviewers(rule.Area)
	claimant := ix.Resolve(o.who).GitHubLogins()
	if platform, handle, ok := strings.Cut(o.who, ":"); ok && strings.EqualFold(platform, "github") {
		claimant = append(claimant, strings.ToLower(handle))
	}
	var logins []string
	for _, id := range ids {
		for _, l := range ix.People[id.ID].GitHubLogins() {
			if !slices.Contains(claimant, l) {
				logins = append(logins, "@"+l)
			}
		}
	}
	slices.Sort(logins)
	logins = slices.Compact(logins)
	if len(logins) == 0 {
		fmt.Fprintf(s.out, "\nIt needs an approving review from %s who is not the claimant, and none has a GitHub identity in people/: add one (identities: {github: LOGIN}).\n", who)
	} else {
		fmt.Fprintf(s.out, "\nIt needs an approving review from %s who is not the claimant: %s.\n", who, strings.Join(logins, ", "))
	}
	return nil
}

// writeClaim writes the claim file and returns its path inside the ledger.
// A slug it chose gets a number when the name is taken; one the user gave
// is an error.
func writeClaim(o claimOptions, day ledger.Date) (string, error) {
	slug := o.slug
	if slug == "" {
		if slug = slugOf(o.title); slug == "" {
			slug = slugOf(o.who + "-" + day.String())
		}
	}
	data := claimYAML(o, day)
	year := strconv.Itoa(day.Year())
	for n := 1; ; n++ {
		name := slug
		if n > 1 {
			name = slug + "-" + strconv.Itoa(n)
		}
		rel := path.Join("claims", o.kind, year, name+".yaml")
		err := atomicfile.WriteNew(filepath.Join(o.ledger, filepath.FromSlash(rel)), data, 0o644)
		switch {
		case err == nil:
			return rel, nil
		case !errors.Is(err, fs.ErrExist):
			return "", &exitError{code: exitUsage, err: fmt.Errorf("writing the claim: %w", err)}
		case o.slug != "":
			return "", &exitError{code: exitUsage, err: fmt.Errorf("%s already exists: choose another --slug", filepath.Join(o.ledger, filepath.FromSlash(rel)))}
		}
	}
}

// slugOf makes a file name from text: lowercase ASCII letters and digits,
// hyphens between words, at most 60 characters.
func slugOf(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

const claimSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/claim.schema.json"

func claimYAML(o claimOptions, day ledger.Date) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", claimSchema)
	fmt.Fprintf(&b, "who: %s\n", ledger.Scalar(o.who))
	fmt.Fprintf(&b, "date: %s\n", day)
	fmt.Fprintf(&b, "evidence: %s\n", ledger.Scalar(o.evidence))
	if o.title != "" {
		fmt.Fprintf(&b, "title: %s\n", ledger.Scalar(o.title))
	}
	return b.Bytes()
}

func kindHint(kind string, sp *ledger.ScoringPeriod) string {
	known := make([]string, 0, len(sp.Kinds))
	for k := range sp.Kinds {
		known = append(known, k)
	}
	if m := suggest.Closest(kind, known); m != "" {
		return fmt.Sprintf("; did you mean %q?", m)
	}
	slices.Sort(known)
	return "; the kinds are " + strings.Join(known, ", ")
}
