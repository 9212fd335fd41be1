package score

import (
	"fmt"
	"slices"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/suggest"
)

// Explanation lists the credits behind a person's or an organisation's
// score for a month, each with what the rules made of it.
type Explanation struct {
	Subject string `json:"subject"` // person or org
	ID      string `json:"id"`
	Name    string `json:"name"`
	Month   string `json:"month"`
	Score   int    `json:"score"`
	// Credits counts the credit records, scoring or not.
	Credits int               `json:"credits"`
	Lines   []ExplainedCredit `json:"lines"`
}

// ExplainedCredit is one credit of an explanation.
type ExplainedCredit struct {
	ID     string `json:"id"`
	Date   string `json:"date"`
	Kind   string `json:"kind"`
	Title  string `json:"title,omitempty"`
	Who    string `json:"who"`
	Weight int    `json:"weight"`
	// WeighedBy says what set the weight: "kind weight", or the rule of
	// its scoring period that matched ("rule 2: only_paths docs/**"), and
	// Rule is that rule's number (from 1; 0 for the kind's weight).
	WeighedBy string `json:"weighed_by"`
	Rule      int    `json:"rule,omitempty"`
	// Unjudged lists the rules before it that could not judge the credit
	// for want of its facts.
	Unjudged []Unjudged `json:"unjudged,omitempty"`
	Score    int        `json:"score"`
	// Why says why the credit scores less than its weight, if it does.
	Why         string `json:"why,omitempty"`
	Org         string `json:"org,omitempty"`
	Attribution string `json:"attribution"`
	// Source is where the credit is written.
	Source string `json:"source"`
}

// Explain lists the credits behind the score of a person (subject
// "person": a person id or an identity nobody owns) or an organisation
// (subject "org") in a month. Only credits that count are listed: a
// person's, or those attributed to the organisation.
func (b *Book) Explain(subject, id string, m ledger.Month) (*Explanation, error) {
	e := &Explanation{Subject: subject, ID: id, Name: id, Month: m.String(), Lines: []ExplainedCredit{}}
	var match func(s *Scored) bool
	switch subject {
	case "person":
		who := b.contributorIndex(id)
		if who < 0 {
			if p := b.Index.Resolve(id); p != nil {
				who = b.contributorIndex(p.ID) // an identity of a person
			}
		}
		if who < 0 {
			return nil, fmt.Errorf("no contributor %q%s", id, b.suggestContributor(id))
		}
		if p := b.Contributors[who].Person; p != nil {
			e.ID, e.Name = p.ID, p.Name
		}
		match = func(s *Scored) bool { return s.Contributor == who }
	case "org":
		o := b.Index.Orgs[id]
		if o == nil {
			var ids []string
			for k := range b.Index.Orgs {
				ids = append(ids, k)
			}
			slices.Sort(ids)
			hint := ""
			if s := suggest.Closest(id, ids); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, fmt.Errorf("no organisation %q%s", id, hint)
		}
		e.Name = o.Name
		match = func(s *Scored) bool { return s.Org == id && !s.Bot }
	default:
		return nil, fmt.Errorf("explain person or org, not %q", subject)
	}
	// ordinal counts, per contributor and kind, the credits of the month so
	// far that would score, to say which cap zeroed a credit.
	ordinal := map[string]int{}
	for _, i := range b.order {
		c, s := &b.Ledger.Credits[i], &b.Credits[i]
		if c.Date.Month() != m {
			continue
		}
		key := fmt.Sprint(s.Contributor, "/", c.Kind)
		if s.Weight > 0 {
			ordinal[key]++
		}
		if !match(s) {
			continue
		}
		line := ExplainedCredit{
			ID: c.ID, Date: c.Date.String(), Kind: c.Kind, Title: c.Title, Who: b.Contributors[s.Contributor].ID,
			Weight: int(s.Weight), Score: int(s.Score), Org: s.Org, Attribution: s.By.String(),
			Source: fmt.Sprintf("%s:%d:%d", b.Ledger.Files[c.File], c.Line, c.Col),
		}
		j, sp, known := b.Weights.Judge(c)
		line.Rule, line.WeighedBy = j.Rule, "kind weight"
		if j.Rule > 0 {
			line.WeighedBy = fmt.Sprintf("rule %d: %s", j.Rule, Describe(&sp.Rules[j.Rule-1]))
		}
		line.Unjudged = j.Unknown
		switch {
		case s.Bot:
			line.Why = "bots score nothing"
		case !known:
			line.Why, line.WeighedBy = "the kind is not defined on this date", "-"
		case s.Capped:
			line.Why = fmt.Sprintf("%s %s of the month; the first %d score", ordinalWord(ordinal[key]), c.Kind, sp.Kinds[c.Kind].Cap)
		case s.PointsCapped:
			line.Why = fmt.Sprintf("the monthly cap of %d points, all kinds together, leaves it %d", sp.PointsCap, s.Score)
		case s.Weight == 0 && sp.Kinds[c.Kind].Weight > 0:
			line.Why = "its rule counts it as activity, not as a contribution"
		case s.Weight == 0:
			line.Why = "this kind counts as activity, not as a contribution"
		}
		e.Score += line.Score
		e.Credits++
		e.Lines = append(e.Lines, line)
	}
	return e, nil
}

func (b *Book) suggestContributor(id string) string {
	ids := make([]string, 0, len(b.Contributors))
	for _, c := range b.Contributors {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	if s := suggest.Closest(id, ids); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

func ordinalWord(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(n) + suffix
}
