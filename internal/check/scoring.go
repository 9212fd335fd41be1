package check

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// checkScoringRules finds the weight rules that cannot work as written: a
// rule that gives no weight, or two; one for a kind its period does not
// define or a project no credit names; a bad path pattern; conditions
// that contradict each other; a rule an earlier one always takes first;
// and a rule on a fact no credit it is for has, which would match nothing
// without anyone noticing.
func checkScoringRules(c *checker) {
	p := c.l.Program
	if p == nil {
		return
	}
	var seen *creditFacts
	for i := range p.Scoring {
		sp := &p.Scoring[i]
		if len(sp.Rules) == 0 {
			continue
		}
		if seen == nil {
			seen = factsOf(c.l.Credits)
		}
		_, problems := score.Compile(sp)
		for _, pr := range problems {
			c.report(p.File, pr.Pos, "scoring.rules."+pr.Field, "rule %d of the scoring period from %s: %s", pr.Rule, sp.From, pr.Message)
		}
		for j := range sp.Rules {
			c.scoringRule(sp, j, seen)
		}
	}
}

func (c *checker) scoringRule(sp *ledger.ScoringPeriod, j int, seen *creditFacts) {
	p, r := c.l.Program, &sp.Rules[j]
	name := fmt.Sprintf("rule %d of the scoring period from %s", j+1, sp.From)
	switch {
	case !r.HasWeight && r.Factor == "":
		c.report(p.File, r.Pos, "scoring.rules", "%s gives no weight: add weight: N (points instead of the kind's) or weight_factor: F (a multiple of the kind's weight)", name)
	case r.HasWeight && r.Factor != "":
		c.report(p.File, r.FactorPos, "scoring.rules.weight_factor", "%s gives both a weight and a weight_factor; keep one", name)
	}
	if _, ok := sp.Kinds[r.Kind]; r.Kind != "" && !ok {
		c.report(p.File, r.KindPos, "scoring.rules.kind", "%s is for kind %q, which the period does not define%s", name, r.Kind,
			didYouMean(r.Kind, slices.Sorted(maps.Keys(sp.Kinds))))
	}
	if r.Project != "" && !seen.projects[strings.ToLower(r.Project)] {
		c.report(p.File, r.ProjectPos, "scoring.rules.project", "%s is for project %q, which no credit names, so it matches nothing%s", name, r.Project,
			didYouMean(r.Project, seen.projectList()))
	}
	numbers := map[string]int{}
	for _, cond := range r.When {
		numbers[cond.Name] = cond.Number
	}
	for _, pair := range [][2]string{{"min_lines", "max_lines"}, {"min_files", "max_files"}} {
		least, okMin := numbers[pair[0]]
		most, okMax := numbers[pair[1]]
		if okMin && okMax && least > most {
			c.report(p.File, r.WhenPos, "scoring.rules.when", "%s can never match: %s %d is more than %s %d", name, pair[0], least, pair[1], most)
		}
	}
	for k := range j {
		if earlier := &sp.Rules[k]; covers(earlier, r) {
			c.report(p.File, r.Pos, "scoring.rules", "%s can never match: rule %d before it matches every credit this one would, and the first rule that matches sets the weight; move this rule above it or remove it", name, k+1)
			break
		}
	}
	for _, cond := range r.When {
		def := score.ConditionNamed(cond.Name)
		if def == nil {
			continue // the schema names it
		}
		for _, fact := range def.Facts {
			if seen.inScope(r.Kind) && !seen.has(r.Kind, fact) {
				of := "credit"
				if r.Kind != "" {
					of = r.Kind + " credit"
				}
				c.report(p.File, cond.Pos, "scoring.rules.when."+cond.Name,
					"%s reads the fact %s, which no %s in the ledger has, so it matches nothing; record %s in the credits' facts (a source's ingestion does) or remove the condition",
					name, fact, of, fact)
				break
			}
		}
	}
}

// covers tells whether rule a matches every credit rule b matches: it is
// for the same credits or more, with some of b's conditions and no other.
func covers(a, b *ledger.WeightRule) bool {
	if a.Kind != "" && a.Kind != b.Kind || a.Project != "" && !strings.EqualFold(a.Project, b.Project) {
		return false
	}
	for _, ca := range a.When {
		if !slices.ContainsFunc(b.When, func(cb ledger.Condition) bool {
			return ca.Name == cb.Name && ca.Number == cb.Number && slices.Equal(ca.List, cb.List)
		}) {
			return false
		}
	}
	return true
}

// creditFacts is what the credits of the ledger hold: the facts of each
// kind's credits, and the projects they name.
type creditFacts struct {
	byKind   map[string]map[string]bool
	any      map[string]bool
	projects map[string]bool // lower case
	written  []string        // the projects as first written
}

func factsOf(credits []ledger.Credit) *creditFacts {
	s := &creditFacts{byKind: map[string]map[string]bool{}, any: map[string]bool{}, projects: map[string]bool{}}
	for i := range credits {
		cr := &credits[i]
		facts := s.byKind[cr.Kind]
		if facts == nil {
			facts = map[string]bool{}
			s.byKind[cr.Kind] = facts
		}
		for _, f := range cr.Facts {
			facts[f.Key], s.any[f.Key] = true, true
		}
		if lower := strings.ToLower(cr.Project); cr.Project != "" && !s.projects[lower] {
			s.projects[lower] = true
			s.written = append(s.written, cr.Project)
		}
	}
	return s
}

// inScope tells whether the ledger has credits of a kind ("" for any) to
// judge a rule's facts by.
func (s *creditFacts) inScope(kind string) bool {
	if kind == "" {
		return len(s.byKind) > 0
	}
	return s.byKind[kind] != nil
}

func (s *creditFacts) has(kind, fact string) bool {
	if kind == "" {
		return s.any[fact]
	}
	return s.byKind[kind][fact]
}

func (s *creditFacts) projectList() []string {
	list := slices.Clone(s.written)
	slices.Sort(list)
	return list
}
