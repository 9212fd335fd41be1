package partner

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// Evidence is what the leadership weighs beside the criteria when an
// organisation applies: where its score over the contribution window came
// from (by kind, by project) and patterns worth a look. The ledger is
// public, so it names no one.
type Evidence struct {
	Org string
	// From and To are the months of the contribution criterion's window.
	From ledger.Month
	To   ledger.Month
	// Score and Credits are the organisation's over the window; People
	// counts who earned them.
	Score   int
	Credits int
	People  int
	// Kinds and Projects break them down, the highest score first; credits
	// without a project are under the name "".
	Kinds    []Share
	Projects []Share
	// Flags are the patterns looked for, always all of them, in the order
	// of Flags.
	Flags []Flag
}

// Share is a part of an organisation's score.
type Share struct {
	Name    string
	Score   int
	Credits int
}

// Flag is a pattern looked for in an organisation's credits, and what
// they show.
type Flag struct {
	Name   string
	Status FlagStatus
	// Summary says it in words: "12 of 15 pull requests (80%) changed
	// fewer than 10 lines".
	Summary string
	// Facts are the credits' facts the pattern is judged by; Known of Of
	// credits (or points) had them, and Count of the Known show it.
	Facts []string
	Count int
	Known int
	Of    int
}

// FlagStatus is what a pattern's figures say.
type FlagStatus string

const (
	Look     FlagStatus = "look"      // worth a look
	Fine     FlagStatus = "fine"      // not there
	NotKnown FlagStatus = "not known" // no credit had the facts to tell
)

// Flags are the patterns the evidence looks for, in order, and from what
// share of the credits (or points) whose facts are known each is worth a
// look.
var Flags = []FlagRule{
	tinyPullRequests: {Name: "tiny_pull_requests", Noun: "pull request", Facts: []string{ledger.FactAdditions, ledger.FactDeletions}, Percent: 50,
		Says: fmt.Sprintf("changed fewer than %d lines", tinyLines)},
	monthEndBurst: {Name: "month_end_burst", Noun: "point", Percent: 50, Says: fmt.Sprintf("were earned in the last %d days of a month", burstDays)},
	onePerson:     {Name: "one_person", Noun: "point", Percent: 75, Says: "came from one person"},
	selfMerged:    {Name: "self_merged", Noun: "pull request", Facts: []string{ledger.FactMergedBy}, Percent: 25, Says: "were merged by their own author"},
	ownReviews:    {Name: "own_reviews", Noun: "review", Facts: []string{ledger.FactPRAuthor}, Percent: 75, Says: "were of pull requests by the organisation's own people"},
}

// The flags' places in Flags.
const (
	tinyPullRequests = iota
	monthEndBurst
	onePerson
	selfMerged
	ownReviews
)

// FlagRule is a pattern: what it counts (pull requests, points), the
// facts it needs, and the share (in percent) of those whose facts are
// known that makes it worth a look.
type FlagRule struct {
	Name, Noun string
	Facts      []string
	Percent    int
	// Says what the credits showing it did: "changed fewer than 10 lines".
	Says string
}

const (
	tinyLines = 10 // a tiny pull request changes fewer lines
	burstDays = 3  // the last days of a month, for a burst
)

// Evidence gathers an organisation's evidence over the contribution
// window ending with month m (partners.practical.months long).
func (e *Evaluator) Evidence(org string, m ledger.Month) *Evidence {
	b := e.book
	ev := &Evidence{Org: org, From: m - ledger.Month(e.rules.PracticalMonths) + 1, To: m, Kinds: []Share{}, Projects: []Share{}}
	kinds, projects := map[string]*Share{}, map[string]*Share{}
	people := map[int32]int{}
	// counts are each flag's: how many show it, are known, and in all.
	counts := make([][3]int, len(Flags))
	count := func(flag int, known, shows bool) {
		counts[flag][2]++
		if known {
			counts[flag][1]++
			if shows {
				counts[flag][0]++
			}
		}
	}
	for i := range b.Credits {
		s, c := &b.Credits[i], &b.Ledger.Credits[i]
		if s.Org != org || s.Bot || c.Date.Month() < ev.From || c.Date.Month() > ev.To {
			continue
		}
		points := int(s.Score)
		ev.Score += points
		ev.Credits++
		people[s.Contributor] += points
		add(kinds, c.Kind, points)
		add(projects, c.Project, points)
		if lastDays(c.Date) {
			counts[monthEndBurst][0] += points
		}
		switch c.Kind {
		case "pull_request":
			lines, why := score.Lines(c)
			count(tinyPullRequests, why == "", lines < tinyLines)
			by, known := c.Fact(ledger.FactMergedBy)
			count(selfMerged, known && by.Value != "", e.isContributor(c, s, by.Value))
		case "review":
			author, known := c.Fact(ledger.FactPRAuthor)
			count(ownReviews, known && author.Value != "", e.ownPerson(c, author.Value, org))
		}
	}
	counts[monthEndBurst][1], counts[monthEndBurst][2] = ev.Score, ev.Score
	top := 0
	for _, pts := range people {
		top = max(top, pts)
	}
	counts[onePerson] = [3]int{top, ev.Score, ev.Score}
	ev.People = len(people)
	ev.Kinds, ev.Projects = sorted(kinds), sorted(projects)
	for i, fr := range Flags {
		ev.Flags = append(ev.Flags, fr.judge(counts[i], len(people)))
	}
	return ev
}

func add(m map[string]*Share, name string, score int) {
	s := m[name]
	if s == nil {
		s = &Share{Name: name}
		m[name] = s
	}
	s.Score += score
	s.Credits++
}

func sorted(m map[string]*Share) []Share {
	out := make([]Share, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Share) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Credits, a.Credits), strings.Compare(a.Name, b.Name))
	})
	return out
}

// lastDays tells whether a date is in the last burstDays of its month.
func lastDays(d ledger.Date) bool {
	last := score.Period{Span: score.Monthly, Start: d.Month()}.LastDay()
	return d > last-burstDays
}

// handle resolves a fact's handle on the platform of a credit's who
// (github when who is a person id) to a person, or nil; the identity is
// "platform:handle".
func (e *Evaluator) handle(c *ledger.Credit, h string) (*ledger.Person, string) {
	platform, _, ok := strings.Cut(c.Who, ":")
	if !ok {
		platform = "github"
	}
	identity := platform + ":" + h
	return e.book.Index.Resolve(identity), identity
}

// isContributor tells whether a handle is the credit's own contributor.
func (e *Evaluator) isContributor(c *ledger.Credit, s *score.Scored, h string) bool {
	if h == "" {
		return false
	}
	p, identity := e.handle(c, h)
	con := &e.book.Contributors[s.Contributor]
	if con.Person != nil {
		return p == con.Person
	}
	return p == nil && strings.EqualFold(identity, con.ID)
}

// ownPerson tells whether a handle is someone affiliated with the
// organisation on the credit's date.
func (e *Evaluator) ownPerson(c *ledger.Credit, h, org string) bool {
	if h == "" {
		return false
	}
	p, _ := e.handle(c, h)
	return p != nil && p.AffiliationOn(c.Date) == org
}

// judge turns a flag's counts (showing it, known, in all) into its verdict.
func (fr FlagRule) judge(n [3]int, people int) Flag {
	f := Flag{Name: fr.Name, Facts: fr.Facts, Count: n[0], Known: n[1], Of: n[2], Status: Fine}
	if f.Facts == nil {
		f.Facts = []string{}
	}
	switch {
	case f.Of == 0 && fr.Noun == "point":
		f.Summary = "no score"
		return f
	case f.Of == 0:
		f.Summary = "no " + fr.Noun + "s"
		return f
	case f.Known == 0:
		f.Status = NotKnown
		f.Summary = fmt.Sprintf("%s, none with the %s %s", words.Plural(f.Of, fr.Noun), words.List(fr.Facts), plural(len(fr.Facts), "fact"))
		return f
	}
	if f.Count*100 >= fr.Percent*f.Known {
		f.Status = Look
	}
	f.Summary = fmt.Sprintf("%d of %s (%d%%) %s", f.Count, words.Plural(f.Known, fr.Noun), (200*f.Count+f.Known)/(2*f.Known), fr.Says)
	if fr.Name == "one_person" && people == 1 {
		f.Summary = fmt.Sprintf("all %s came from one person", words.Plural(f.Known, fr.Noun))
	}
	if f.Of > f.Known {
		f.Summary += fmt.Sprintf("; %d more without the %s %s", f.Of-f.Known, words.List(fr.Facts), plural(len(fr.Facts), "fact"))
	}
	return f
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
