// Package check holds the rules that span records: references between
// files, unique ids, dates that must agree with where a record is filed,
// and the program's own consistency. The schemas judge each file alone;
// these rules judge the ledger as a whole.
package check

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/suggest"
)

// Rule is one check across records. Its name is shown with its findings.
type Rule struct {
	Name string
	// Doc says in one sentence what the rule demands.
	Doc string
	run func(*checker)
}

// Rules lists every rule, in the order they run.
var Rules = []Rule{
	{"program", "program.yaml exists; scoring periods are in date order; every kind's area has team leads; the time zone is known; tiers go from highest to lowest", checkProgram},
	{"unique-id", "ids are unique: people and organisations across sharded folders, credits and payments across all shards", checkUniqueIDs},
	{"identity", "each identity (platform and handle, case-insensitive) belongs to one person", checkIdentities},
	{"account", "each payer account (platform and handle, case-insensitive) belongs to one organisation", checkAccounts},
	{"reference", "every person and organisation a record names exists", checkReferences},
	{"affiliation", "a person's affiliations are in date order, do not overlap, and end after they start", checkAffiliations},
	{"shard", "a record's date (and a payment's source) agrees with the folder and file it is filed in", checkShards},
	{"kind", "a credit's kind is defined in the scoring period of its date", checkKinds},
	{"claim-kind", "a claim's folder is named after a kind defined in the scoring period of its date", checkClaimKinds},
	{"money", "amounts are positive, in an ISO 4217 currency, with no more decimals than the currency has", checkMoney},
	{"country", "countries are ISO 3166-1 alpha-2 codes", checkCountries},
	{"decision", "an application's decision comes after its submission and is made by the leadership", checkDecisions},
	{"conflict-of-interest", "no one affiliated with the applicant on the decision date decides its application", checkConflicts},
	{"override", "an application approved while the organisation missed a criterion in the months before the decision says why in decision.override", checkOverrides},
	{"roadmap", "roadmap submissions come from partners, on a date they are partners, within the yearly quota", checkRoadmap},
}

// Run applies every rule and returns the findings, sorted. Rules only read
// the ledger, so they run in parallel, each with its own findings.
func Run(l *ledger.Ledger) []ledger.Finding {
	shared := newChecker(l)
	found := make([][]ledger.Finding, len(Rules))
	var wg sync.WaitGroup
	for i, r := range Rules {
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
	// platforms on which someone has an identity, to catch "githb:alice".
	platforms    map[string]bool
	platformList []string
	findings     []ledger.Finding
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
	c.platforms = map[string]bool{}
	for _, p := range l.People {
		for _, id := range p.Identities {
			if !c.platforms[id.Platform] {
				c.platforms[id.Platform] = true
				c.platformList = append(c.platformList, id.Platform)
			}
		}
	}
	sort.Strings(c.platformList)
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
