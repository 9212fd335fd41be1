// Package check holds the rules that span records: references between
// files, unique ids, dates that must agree with where a record is filed,
// and the program's own consistency. The loader and the schemas judge each
// file alone; these rules judge the ledger as a whole. Rules lists both
// kinds: it is the one registry of what validation checks.
package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/suggest"
	"github.com/tallyledger/tally/internal/words"
)

// The largest sums tally counts, as the rules and their findings write
// them.
var (
	maxTotalWords   = words.Thousands(score.MaxTotal)
	moneyLimitWords = words.Thousands(int(money.Limit / money.Scale))
)

// Rule is one rule of validation. Its findings carry its name; `tally
// validate --list-rules` and docs/checks.md show its summary, and the
// docs its example. A new rule is one entry in Rules, and a golden case.
type Rule struct {
	Name string
	// Summary says in one sentence what the rule demands.
	Summary string
	// Example names the golden case that shows the rule's findings in
	// docs/checks.md: internal/cli/testdata/invalid/<Example>.txtar.
	Example string
	// run applies a rule across records. It is nil for a rule of the
	// loader (internal/ledger), which applies it to each file as it reads
	// it.
	run func(*checker)
}

// AcrossRecords tells a rule that judges the ledger as a whole from one
// that judges each file alone.
func (r Rule) AcrossRecords() bool { return r.run != nil }

// Rules lists every rule of validation: first those of the loader, in the
// order a file meets them, then those across records, in the order they
// run.
var Rules = []Rule{
	{Name: "file-kind", Summary: "every file is one the layout has a place for (people/<id>.yaml, credits/<YYYY>/<MM>/<source>.yaml...), named in lower case, and a regular file", Example: "file-kind-folder"},
	{Name: "file-size", Summary: "no file is larger than --max-file-size (4 MiB unless told)", Example: "file-size-limit"},
	{Name: "encoding", Summary: "every file is UTF-8 text", Example: "encoding-latin1"},
	{Name: "symlink", Summary: "a symbolic link points at a file inside the ledger; links to folders and special files are not followed", Example: "symlink-outside"},
	{Name: "logo", Summary: "an organisation's logo, organizations/<id>.svg or .png, is at most 256 KiB; a PNG is a PNG of 32 to 1024 pixels a side; an SVG is well-formed XML of shapes, text, gradients, masks and filters, with no script, event handler, DOCTYPE or entity, foreignObject, link or reference outside the file (href other than #id, url() other than url(#id), @import); a logo that breaks a rule is refused, never rewritten", Example: "logo-svg-script"},
	{Name: "yaml", Summary: "every file is valid YAML", Example: "yaml-indent"},
	{Name: "multi-document", Summary: "a file holds one YAML document", Example: "multi-document"},
	{Name: "duplicate-key", Summary: "no key appears twice in a mapping", Example: "duplicate-key"},
	{Name: "alias", Summary: "YAML aliases do not expand to more data than a ledger file holds", Example: "alias-bomb"},
	{Name: "schema", Summary: "each file matches the JSON Schema of its record type: required keys, no unknown keys, types, patterns and allowed values", Example: "schema-unknown-key"},
	{Name: "date", Summary: "dates are real days of the calendar", Example: "date-impossible"},
	{Name: "more-findings", Summary: "a file lists at most 100 findings of the loader, by position; one more finding counts the rest", Example: "more-findings"},

	{Name: "program", Summary: "program.yaml exists; scoring periods are in date order, none starting on the same day as another; every kind's area has team leads; the time zone is known; tiers go from highest to lowest; grace_months is less than lapse_months", Example: "program-period-order", run: checkProgram},
	{Name: "source", Summary: "each source in program.yaml's sources credits a kind the latest scoring period defines, and lists each feed once (the schema checks the sources' names and settings)", Example: "source-kind", run: checkSources},
	{Name: "unique-id", Summary: "ids are unique: people and organisations across sharded folders, credits and payments across all shards; an organisation has one logo", Example: "unique-id-credit", run: checkUniqueIDs},
	{Name: "identity", Summary: "each identity (platform and handle, case-insensitive) belongs to one person", Example: "identity-case", run: checkIdentities},
	{Name: "platform", Summary: "identities and who name a platform tally's sources use (" + strings.Join(ledger.Platforms, ", ") + ") or one program.yaml lists under platforms; anonymous only in who", Example: "platform-identity", run: checkPlatforms},
	{Name: "account", Summary: "each payer account (platform and handle, case-insensitive) belongs to one organisation", Example: "account-opencollective", run: checkAccounts},
	{Name: "reference", Summary: "every person and organisation a record names exists, and a logo lies beside its organisation's file", Example: "reference", run: checkReferences},
	{Name: "affiliation", Summary: "a person's affiliations are in date order, do not overlap, and end after they start", Example: "affiliation-overlap", run: checkAffiliations},
	{Name: "shard", Summary: "a record's date (and a payment's source) agrees with the folder and file it is filed in", Example: "shard-credit-month", run: checkShards},
	{Name: "kind", Summary: "a credit's kind is defined in the scoring period of its date", Example: "kind-unknown", run: checkKinds},
	{Name: "claim-kind", Summary: "a claim's folder is named after a kind defined in the scoring period of its date", Example: "claim-kind-unknown", run: checkClaimKinds},
	{Name: "scoring-rule", Summary: "each weight rule of a scoring period gives a weight or a weight_factor (at most 2 decimals), is for a kind of its period and a project some credit names, has valid path patterns and conditions that do not contradict each other, is not always taken first by an earlier rule, and reads only facts that some credit it is for has", Example: "scoring-rule-never-matches", run: checkScoringRules},
	{Name: "score-total", Summary: "all credits together score at most " + maxTotalWords + " points, so that every sum of scores is exact", Example: "score-total", run: checkScoreTotal},
	{Name: "money", Summary: "amounts are positive exact decimals, in an ISO 4217 currency, with no more decimals than the currency has; an organisation's payments in a month add up to less than " + moneyLimitWords + " US dollars", Example: "money-decimals", run: checkMoney},
	{Name: "country", Summary: "countries are ISO 3166-1 alpha-2 codes", Example: "country-org", run: checkCountries},
	{Name: "decision", Summary: "an application's decision comes after its submission and is made by the leadership", Example: "decision-non-leader", run: checkDecisions},
	{Name: "conflict-of-interest", Summary: "no one affiliated with the applicant on the decision date decides its application", Example: "conflict-of-interest-affiliated", run: checkConflicts},
	{Name: "override", Summary: "an application approved while the organisation missed a criterion in the months before the decision says why in decision.override", Example: "override", run: checkOverrides},
	{Name: "roadmap", Summary: "roadmap submissions come from partners, on a date they are partners, within the yearly quota", Example: "roadmap-not-partner", run: checkRoadmap},
	{Name: "privacy", Summary: "conduct records name organisations, never people, and dismissed reports are not recorded", Example: "privacy-person", run: checkPrivacy},
}

// Run applies every rule across records and returns the findings, sorted.
// Rules only read the ledger, so they run in parallel, each with its own
// findings.
func Run(l *ledger.Ledger) []ledger.Finding {
	shared := newChecker(l)
	found := make([][]ledger.Finding, len(Rules))
	var wg sync.WaitGroup
	for i, r := range Rules {
		if !r.AcrossRecords() {
			continue
		}
		wg.Go(func() {
			c := *shared
			c.rule = r.Name
			r.run(&c)
			found[i] = c.findings
		})
	}
	wg.Wait()
	return ledger.SortFindings(slices.Concat(found...))
}

// checker carries what the rules share: the ledger, its index, sorted id
// lists for suggestions, and the findings so far.
type checker struct {
	l      *ledger.Ledger
	ix     *ledger.Index
	rule   string
	people []string
	orgs   []string
	places []ledger.Place // by FileID
	// unloaded ids had files that could not be read: not missing, broken.
	unloaded map[string]bool
	// platforms are those identities may be on, sorted.
	platforms []string
	findings  []ledger.Finding
}

func newChecker(l *ledger.Ledger) *checker {
	c := &checker{l: l, ix: ledger.NewIndex(l)}
	for id := range c.ix.People {
		c.people = append(c.people, id)
	}
	for id := range c.ix.Orgs {
		c.orgs = append(c.orgs, id)
	}
	c.unloaded = map[string]bool{}
	for _, f := range l.Unloaded {
		if pl, err := ledger.Classify(f); err == nil {
			c.unloaded[pl.Kind.Schema()+"/"+pl.Name] = true
		}
	}
	c.platforms = ledger.KnownPlatforms(l.Program)
	sort.Strings(c.people)
	sort.Strings(c.orgs)
	c.places = make([]ledger.Place, len(l.Files))
	for i, f := range l.Files {
		c.places[i], _ = ledger.Classify(f)
	}
	return c
}

// report adds a finding of the running rule.
func (c *checker) report(file ledger.FileID, p ledger.Pos, field, format string, args ...any) {
	c.findings = append(c.findings, ledger.At(c.l.Files[file], p, field, c.rule, fmt.Sprintf(format, args...)))
}

// reportRepeat adds a finding about a record that repeats an earlier one,
// pointing at both.
func (c *checker) reportRepeat(file ledger.FileID, p ledger.Pos, field string, first ledger.Loc, format string, args ...any) {
	c.report(file, p, field, format, args...)
	c.findings[len(c.findings)-1].First = &ledger.Location{Path: c.l.Files[first.File], Line: int(first.Line), Col: int(first.Col)}
}

// didYouMean is a message suffix suggesting the nearest known name.
func didYouMean(s string, known []string) string {
	if m := suggest.Closest(s, known); m != "" {
		return fmt.Sprintf("; did you mean %q?", m)
	}
	return ""
}

// ledgerFinding is a finding about a file as a whole, such as one that is
// missing.
func ledgerFinding(path, rule, msg string) ledger.Finding {
	return ledger.Finding{Path: path, Line: 1, Col: 1, Rule: rule, Message: msg}
}
