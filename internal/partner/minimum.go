package partner

import (
	"fmt"
	"sort"

	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
)

// Basis says where a country's minimum comes from.
type Basis string

const (
	BasisOverride Basis = "override"  // overrides: entered by hand, with evidence
	BasisIndex    Basis = "index"     // minimums: the country's own row of the index
	BasisEuroArea Basis = "euro area" // euro_area: a euro country without a row of its own
	BasisFallback Basis = "fallback"  // fallback_usd: no figure at all
	BasisBase     Basis = "base"      // no fallback_usd either: the base amount
)

// Minimum is an organisation's monthly minimum payment: in US dollars,
// and, when the index gives one, the same figure in the country's
// currency.
type Minimum struct {
	USD      money.Amount
	Basis    Basis
	Local    money.Amount
	Currency string // "" for a minimum in US dollars only
}

// MinimumOf is the minimum of a country, as MinimumUSD finds it, with its
// local figure when the index has one.
func MinimumOf(t *ledger.Thresholds, country string) Minimum {
	usd, basis := MinimumUSD(t, country)
	m := Minimum{USD: usd, Basis: basis}
	var local *ledger.Minimum
	switch basis {
	case BasisIndex:
		l := t.Minimums[country]
		local = &l
	case BasisEuroArea:
		local = t.EuroArea
	}
	if local != nil && local.Currency != "" && local.Local > 0 {
		m.Local, m.Currency = local.Local, local.Currency
	}
	return m
}

// MinimumUSD is the monthly minimum payment, in US dollars, of an
// organisation whose head office is in country (ISO 3166-1 alpha-2). In
// order: the country's override, its own minimum, the euro area's for a
// euro country, fallback_usd, and when even that is missing the base
// amount.
func MinimumUSD(t *ledger.Thresholds, country string) (money.Amount, Basis) {
	if o, ok := t.Overrides[country]; ok {
		return o.USD, BasisOverride
	}
	if m, ok := t.Minimums[country]; ok {
		return m.USD, BasisIndex
	}
	if t.EuroArea != nil && iso.EuroArea(country) {
		return t.EuroArea.USD, BasisEuroArea
	}
	if t.FallbackUSD > 0 {
		return t.FallbackUSD, BasisFallback
	}
	return t.Base.Amount, BasisBase
}

// Move is an organisation whose minimum changes between two thresholds
// files.
type Move struct {
	Org, Country string
	Old, New     money.Amount
	Basis        Basis // of the new figure
}

// String reads "northwind (GB): 112.40 -> 115.70 USD", naming the basis
// when the figure is not the country's own ("(DE, euro area)").
func (m Move) String() string {
	where := m.Country
	if m.Basis != BasisIndex {
		where += ", " + string(m.Basis)
	}
	return fmt.Sprintf("%s (%s): %s -> %s USD", m.Org, where, m.Old.Format(2), m.New.Format(2))
}

// Moves lists the organisations whose minimum differs between old and new,
// by id.
func Moves(old, new *ledger.Thresholds, orgs []*ledger.Organization) []Move {
	var moves []Move
	for _, o := range orgs {
		if o.Country == "" {
			continue
		}
		before, _ := MinimumUSD(old, o.Country)
		after, basis := MinimumUSD(new, o.Country)
		if before != after {
			moves = append(moves, Move{Org: o.ID, Country: o.Country, Old: before, New: after, Basis: basis})
		}
	}
	sort.Slice(moves, func(i, j int) bool { return moves[i].Org < moves[j].Org })
	return moves
}
