package partner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
)

// Missing says what an organisation still lacks to be eligible, a line per
// month that misses something ("2026-09: score 6 of 10; payments $0.00 of
// $47.27") and one per sanction that still counts. It is empty when the
// organisation is eligible.
func (st *Status) Missing() []string { return st.MissingOf(true, true, true) }

// MissingOf is Missing for some of the criteria only.
func (st *Status) MissingOf(practical, financial, conduct bool) []string {
	byMonth := map[ledger.Month][]string{}
	for _, sm := range st.Practical.Months {
		if practical && !sm.Met {
			byMonth[sm.Month] = append(byMonth[sm.Month], fmt.Sprintf("score %d of %d", sm.Score, st.Practical.MinScore))
		}
	}
	for _, pm := range st.Financial.Months {
		if !financial || pm.Met {
			continue
		}
		s := fmt.Sprintf("payments %s of %s", Dollars(pm.Paid), Dollars(st.Financial.Minimum))
		if len(pm.Unconverted) > 0 {
			s += fmt.Sprintf(" (%s without a rate in thresholds.yaml)", strings.Join(pm.Unconverted, ", "))
		}
		byMonth[pm.Month] = append(byMonth[pm.Month], s)
	}
	months := make([]ledger.Month, 0, len(byMonth))
	for m := range byMonth {
		months = append(months, m)
	}
	slices.Sort(months)
	var out []string
	for _, m := range months {
		out = append(out, m.String()+": "+strings.Join(byMonth[m], "; "))
	}
	months12 := int(st.Conduct.To-st.Conduct.From) + 1
	for _, s := range st.Conduct.Sanctions {
		if !conduct {
			break
		}
		out = append(out, fmt.Sprintf("conduct: a sanction on %s against %s counts until the end of %s",
			s.Date, s.Against(), s.Until(months12)-1))
	}
	return out
}

// Against is whom a sanction is against, in the words reports use: never
// who.
func (s Sanction) Against() string {
	if s.Member {
		return "a member of its team"
	}
	return "the organisation"
}

// Dollars writes an amount of US dollars as "$115.70".
func Dollars(a money.Amount) string { return "$" + a.Format(2) }
