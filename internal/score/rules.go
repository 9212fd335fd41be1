package score

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

// Condition is a condition a rule's when may name: the facts it reads,
// and how it judges a credit by them.
type Condition struct {
	Name  string
	Facts []string
	// Words say what a credit meeting it is, for reports: "that changes
	// at most %s lines", the condition's value in place of %s.
	Words string
	list  bool // its value is a list (patterns, labels), not a number
	judge func(c *condition, credit *ledger.Credit) (verdict, string)
}

// Conditions are every condition a rule may name, in the order reports
// and the schema list them.
var Conditions = []*Condition{
	{Name: "max_lines", Facts: []string{ledger.FactAdditions, ledger.FactDeletions}, Words: "that changes at most %s lines", judge: func(c *condition, cr *ledger.Credit) (verdict, string) {
		n, why := Lines(cr)
		return compare(why, n <= c.n)
	}},
	{Name: "min_lines", Facts: []string{ledger.FactAdditions, ledger.FactDeletions}, Words: "that changes at least %s lines", judge: func(c *condition, cr *ledger.Credit) (verdict, string) {
		n, why := Lines(cr)
		return compare(why, n >= c.n)
	}},
	{Name: "max_files", Facts: []string{ledger.FactFiles}, Words: "that touches at most %s files", judge: func(c *condition, cr *ledger.Credit) (verdict, string) {
		n, why := number(cr, ledger.FactFiles)
		return compare(why, n <= c.n)
	}},
	{Name: "min_files", Facts: []string{ledger.FactFiles}, Words: "that touches at least %s files", judge: func(c *condition, cr *ledger.Credit) (verdict, string) {
		n, why := number(cr, ledger.FactFiles)
		return compare(why, n >= c.n)
	}},
	{Name: "only_paths", Facts: []string{ledger.FactPaths}, Words: "whose files all match %s", list: true, judge: onlyPaths},
	{Name: "any_path", Facts: []string{ledger.FactPaths}, Words: "that touches a file matching %s", list: true, judge: anyPath},
	{Name: "any_label", Facts: []string{ledger.FactLabels}, Words: "labelled %s", list: true, judge: anyLabel},
}

// ConditionNamed returns the condition of a name, or nil.
func ConditionNamed(name string) *Condition {
	for _, c := range Conditions {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// verdict is what a condition makes of a credit.
type verdict uint8

const (
	holds   verdict = iota
	fails           // the facts say no
	unknown         // the credit lacks a fact the condition reads
)

// Weights are a program's scoring rules, compiled: the weight each credit
// has before caps, and which rule gave it. Build them with NewWeights;
// they only read the program.
type Weights struct {
	program *ledger.Program
	sets    map[*ledger.ScoringPeriod]*RuleSet
}

// RuleSet is the rules of one scoring period, compiled.
type RuleSet struct{ rules []rule }

type rule struct {
	src   *ledger.WeightRule
	conds []condition
	// hundredths is weight_factor in hundredths (0.5 is 50).
	hundredths int
}

type condition struct {
	def    *Condition
	n      int
	globs  []glob
	labels []string
}

// NewWeights compiles a program's rules. Rules a valid program cannot hold
// (a bad pattern, a condition of no known name) never match.
func NewWeights(p *ledger.Program) *Weights {
	w := &Weights{program: p, sets: map[*ledger.ScoringPeriod]*RuleSet{}}
	if p == nil {
		return w
	}
	for i := range p.Scoring {
		if sp := &p.Scoring[i]; len(sp.Rules) > 0 {
			w.sets[sp], _ = Compile(sp)
		}
	}
	return w
}

// RuleProblem is what makes a rule unusable: a bad pattern, a factor
// with too many decimals. Validation reports them.
type RuleProblem struct {
	Rule    int // from 1
	Pos     ledger.Pos
	Field   string
	Message string
}

// Compile compiles a period's rules and says what is wrong with them.
func Compile(sp *ledger.ScoringPeriod) (*RuleSet, []RuleProblem) {
	rs := &RuleSet{rules: make([]rule, len(sp.Rules))}
	var problems []RuleProblem
	for i := range sp.Rules {
		src := &sp.Rules[i]
		r := rule{src: src}
		if src.Factor != "" {
			h, err := parseHundredths(src.Factor)
			if err != nil {
				problems = append(problems, RuleProblem{i + 1, src.FactorPos, "weight_factor", err.Error()})
			}
			r.hundredths = h
		}
		for j := range src.When {
			wc := &src.When[j]
			c := condition{def: ConditionNamed(wc.Name), n: wc.Number}
			if c.def == nil {
				c.def = &Condition{Name: wc.Name, judge: func(*condition, *ledger.Credit) (verdict, string) { return fails, "" }}
			}
			for k, item := range wc.List {
				switch wc.Name {
				case "any_label":
					c.labels = append(c.labels, item)
				default:
					g, err := compileGlob(item)
					if err != nil {
						problems = append(problems, RuleProblem{i + 1, wc.ListPos[k], "when." + wc.Name, err.Error()})
						continue
					}
					c.globs = append(c.globs, g)
				}
			}
			r.conds = append(r.conds, c)
		}
		rs.rules[i] = r
	}
	return rs, problems
}

// parseHundredths reads a weight factor such as 0.5 or 1.25, with at most
// two decimals, in hundredths: weights stay exact whole numbers.
func parseHundredths(s string) (int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("weight_factor %s has more than 2 decimals; write at most 2, such as %s.%s", s, whole, frac[:2])
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi((frac + "00")[:2])
	if err1 != nil || err2 != nil || strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("weight_factor %q is not a number such as 0.5", s)
	}
	return w*100 + f, nil
}

// Judgement is what a period's rules make of a credit.
type Judgement struct {
	// Weight is the credit's weight before caps.
	Weight int
	// Rule is the number (from 1) of the rule that set it, 0 when the
	// kind's own weight did.
	Rule int
	// Unknown lists the rules tried before that one which could not judge
	// the credit for want of its facts.
	Unknown []Unjudged
}

// Unjudged is a rule that could not judge a credit, and why ("no
// additions fact").
type Unjudged struct {
	Rule int    `json:"rule"`
	Why  string `json:"why"`
}

// Judge applies the rules of the credit's scoring period to it, saying
// which rules lacked facts. ok is false when the period does not define
// the credit's kind (or no period is in force).
func (w *Weights) Judge(c *ledger.Credit) (j Judgement, sp *ledger.ScoringPeriod, ok bool) {
	sp = w.program.PeriodOn(c.Date)
	if sp == nil {
		return j, nil, false
	}
	kr, ok := sp.Kinds[c.Kind]
	if !ok {
		return j, sp, false
	}
	j.Weight = kr.Weight
	if rs := w.sets[sp]; rs != nil {
		j = rs.judge(c, kr.Weight, true)
	}
	return j, sp, true
}

// Weight is a credit's weight before caps, as Judge gives it.
func (w *Weights) Weight(c *ledger.Credit) int {
	j, _, _ := w.Judge(c)
	return j.Weight
}

// Heaviest is the most a credit can weigh under the program: the
// heaviest kind or rule weight, or a factor times the heaviest kind.
func (w *Weights) Heaviest() int {
	heaviest := 0
	if w.program == nil {
		return 0
	}
	for i := range w.program.Scoring {
		sp := &w.program.Scoring[i]
		kinds := 0
		for _, k := range sp.Kinds {
			kinds = max(kinds, k.Weight)
		}
		heaviest = max(heaviest, kinds)
		if rs := w.sets[sp]; rs != nil {
			for _, r := range rs.rules {
				heaviest = max(heaviest, r.weight(kinds))
			}
		}
	}
	return heaviest
}

// judge finds the first rule that matches a credit of a kind weighing
// kindWeight. unknowns asks for the rules that lacked facts, which only
// explanations need.
func (rs *RuleSet) judge(c *ledger.Credit, kindWeight int, unknowns bool) Judgement {
	var j Judgement
	for i := range rs.rules {
		r := &rs.rules[i]
		if r.src.Kind != "" && r.src.Kind != c.Kind || r.src.Project != "" && !strings.EqualFold(r.src.Project, c.Project) {
			continue
		}
		v, why := r.matches(c)
		switch {
		case v == holds:
			j.Weight, j.Rule = r.weight(kindWeight), i+1
			return j
		case v == unknown && unknowns:
			j.Unknown = append(j.Unknown, Unjudged{Rule: i + 1, Why: why})
		}
	}
	j.Weight = kindWeight
	return j
}

// matches tells whether every condition of the rule holds for a credit:
// one the facts deny decides; else one that lacks facts leaves it unknown.
func (r *rule) matches(c *ledger.Credit) (verdict, string) {
	result, why := holds, ""
	for i := range r.conds {
		cond := &r.conds[i]
		switch v, w := cond.def.judge(cond, c); v {
		case fails:
			return fails, ""
		case unknown:
			if result == holds {
				result, why = unknown, w
			}
		}
	}
	return result, why
}

// weight is what the rule gives a credit whose kind weighs kindWeight:
// its weight, or the kind's times its factor rounded half up.
func (r *rule) weight(kindWeight int) int {
	if r.src.HasWeight {
		return r.src.Weight
	}
	return (2*kindWeight*r.hundredths + 100) / 200
}

// Describe says what a rule is for in the words of program.yaml, for
// explanations: "only_paths docs/**, *.md", "project acme/legacy,
// weight_factor 0.5". The kind is left out: explanations show it.
func Describe(r *ledger.WeightRule) string {
	var parts []string
	if r.Project != "" {
		parts = append(parts, "project "+r.Project)
	}
	for _, c := range r.When {
		value := strconv.Itoa(c.Number)
		if c.List != nil {
			value = strings.Join(c.List, ", ")
		}
		parts = append(parts, c.Name+" "+value)
	}
	if r.Factor != "" {
		parts = append(parts, "weight_factor "+r.Factor)
	}
	if len(parts) == 0 {
		return "every " + cmp.Or(r.Kind, "credit")
	}
	return strings.Join(parts, ", ")
}

// number reads a whole-number fact.
func number(c *ledger.Credit, key string) (int, string) {
	f, ok := c.Fact(key)
	if !ok {
		return 0, "no " + key + " fact"
	}
	n, err := strconv.Atoi(f.Value)
	if err != nil || f.List != nil {
		return 0, fmt.Sprintf("its %s fact, %q, is not a whole number", key, f.Value)
	}
	return n, ""
}

// Lines is the lines a credit changed, additions + deletions; why says
// what is missing when its facts do not tell.
func Lines(c *ledger.Credit) (n int, why string) {
	a, why := number(c, ledger.FactAdditions)
	if why != "" {
		return 0, why
	}
	d, why := number(c, ledger.FactDeletions)
	return a + d, why
}

// compare is a number condition's verdict: unknown when its facts were
// missing (why says so), else whether the comparison holds.
func compare(why string, ok bool) (verdict, string) {
	switch {
	case why != "":
		return unknown, why
	case ok:
		return holds, ""
	}
	return fails, ""
}

// paths reads the paths fact. complete is false when the files fact
// counts more files than it lists (a source may list only the first
// thousands).
func paths(c *ledger.Credit) (list []string, complete bool, why string) {
	f, ok := c.Fact(ledger.FactPaths)
	if !ok {
		return nil, false, "no paths fact"
	}
	if f.List == nil {
		return nil, false, "its paths fact is not a list"
	}
	if n, why := number(c, ledger.FactFiles); why == "" && n > len(f.List) {
		return f.List, false, fmt.Sprintf("its paths fact lists %d of its %d files", len(f.List), n)
	}
	return f.List, true, ""
}

func onlyPaths(c *condition, cr *ledger.Credit) (verdict, string) {
	list, complete, why := paths(cr)
	if list == nil && why != "" {
		return unknown, why
	}
	for _, p := range list {
		if !c.anyGlob(p) {
			return fails, ""
		}
	}
	switch {
	case !complete:
		return unknown, why
	case len(list) == 0:
		return fails, "" // no file at all is not docs only
	}
	return holds, ""
}

func anyPath(c *condition, cr *ledger.Credit) (verdict, string) {
	list, complete, why := paths(cr)
	if list == nil && why != "" {
		return unknown, why
	}
	for _, p := range list {
		if c.anyGlob(p) {
			return holds, ""
		}
	}
	if !complete {
		return unknown, why
	}
	return fails, ""
}

func (c *condition) anyGlob(path string) bool {
	for _, g := range c.globs {
		if g.match(path) {
			return true
		}
	}
	return false
}

func anyLabel(c *condition, cr *ledger.Credit) (verdict, string) {
	f, ok := cr.Fact(ledger.FactLabels)
	switch {
	case !ok:
		return unknown, "no labels fact"
	case f.List == nil:
		return unknown, "its labels fact is not a list"
	}
	for _, l := range f.List {
		for _, want := range c.labels {
			if strings.EqualFold(l, want) {
				return holds, ""
			}
		}
	}
	return fails, ""
}
