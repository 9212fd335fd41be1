package site

import (
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/words"
)

// rulesPage is program.yaml in words: what a partner is, how to apply,
// who decides, how partners are promoted and keep their standing, and
// what each kind of contribution scores.
type rulesPage struct {
	page
	R          ledger.PartnerRules
	Minimum    string
	Leadership string
	Tiers      []tierRow
	Currency   string
	From       string
	Kinds      []kindRow
	Example    string
	// Claim is an example claim, for work no integration sees.
	Claim string
}

type tierRow struct {
	Name     string
	MinScore int
	Payment  string
}

type kindRow struct {
	Kind      string
	Weight    int
	Cap       string
	Reviewers string
}

func (s *site) rules() rulesPage {
	v := rulesPage{page: s.page("rules.html", "How the "+s.program+" partners program works",
		"The rules of the "+s.program+" partners program: who can become a partner, how to apply and who decides.", "rules")}
	prog := s.prog()
	v.R = prog.Partners
	v.Currency = "USD"
	v.Minimum = "the minimum monthly payment for the country of its head office"
	if t := s.in.Thresholds; t != nil && t.Base.Amount > 0 {
		v.Currency = t.Base.Currency
		v.Minimum += ": " + t.Base.Amount.Format(0) + " " + t.Base.Currency + " a month in " + countryWords(t.Base.Country) +
			", and proportionally less or more elsewhere, by The Economist's Big Mac index"
		if t.Date != 0 {
			v.Minimum += " of " + words.Date(t.Date)
		}
	}
	for _, t := range prog.Partners.Tiers {
		row := tierRow{Name: tierWords(t.Name), MinScore: t.MinScore}
		if t.MinPayment > 0 {
			row.Payment = formatMoney(t.MinPayment) + " " + v.Currency
		}
		v.Tiers = append(v.Tiers, row)
	}

	rules := s.in.Rules
	if rules == nil {
		rules = &report.Rules{}
	}
	var leaders []string
	for _, l := range rules.Leadership {
		leaders = append(leaders, l.Name)
	}
	v.Leadership = words.List(leaders)

	// The scoring period in force at the end of the month shown.
	if rules.Kinds != nil {
		v.From = words.Date(rules.From)
		for _, k := range rules.Kinds {
			row := kindRow{Kind: capitalise(words.Kind(k.Kind)), Weight: k.Weight}
			if k.Cap > 0 {
				row.Cap = "first " + strconv.Itoa(k.Cap) + " a month"
			}
			if k.Area != "" {
				var leads []string
				for _, l := range rules.Leads(k.Area) {
					leads = append(leads, l.Name)
				}
				row.Reviewers = strings.TrimSpace(words.List(leads) + " (" + k.Area + ")")
			}
			v.Kinds = append(v.Kinds, row)
		}
	}
	v.Claim = "who: github:your-login          # or your person id\n" +
		"date: " + (s.in.AsOf + 1).First().AddDays(-1).String() + "\n" +
		"evidence: https://example.org/where-it-shows\n" +
		"title: What you did\n"
	v.Example = "submitted: " + (s.in.AsOf + 1).First().String() + "\n" +
		"contact: github:your-login\n" +
		"team: [your-person-id, github:a-colleague]\n" +
		"statement: >-\n" +
		"  What your organisation contributes to " + s.program + ", and how it supports the project.\n"
	return v
}

// prog is the program, or the default rules when there is none.
func (s *site) prog() *ledger.Program {
	if s.in.Program == nil {
		return &ledger.Program{Partners: ledger.DefaultPartnerRules}
	}
	return s.in.Program
}

// formatMoney writes an amount with no decimals when it is whole.
func formatMoney(a money.Amount) string {
	if a%money.Scale == 0 {
		return a.Format(0)
	}
	return a.String()
}
