package score

import (
	"fmt"
	"strconv"

	"github.com/tallyledger/tally/internal/ledger"
)

// Span is the length of a reporting period.
type Span uint8

const (
	Monthly Span = iota
	Quarterly
	Annual
)

// Months is how many months a period of the span covers.
func (s Span) Months() int { return [...]int{1, 3, 12}[s] }

func (s Span) String() string { return [...]string{"monthly", "quarterly", "annual"}[s] }

// Period is a calendar month, quarter or year.
type Period struct {
	Span  Span
	Start ledger.Month
}

// PeriodOf returns the period of a span that contains a month.
func PeriodOf(s Span, m ledger.Month) Period {
	n := ledger.Month(s.Months())
	return Period{Span: s, Start: m - (m-ledger.MonthOf(m.Year(), 1))%n}
}

// End is the period's last month.
func (p Period) End() ledger.Month { return p.Start + ledger.Month(p.Span.Months()) - 1 }

// Contains tells whether a month falls in the period.
func (p Period) Contains(m ledger.Month) bool { return m >= p.Start && m <= p.End() }

// Previous is the period of the same span just before.
func (p Period) Previous() Period {
	return Period{Span: p.Span, Start: p.Start - ledger.Month(p.Span.Months())}
}

// String names the period as reports do: 2026-10, 2026-Q4, 2026.
func (p Period) String() string {
	switch p.Span {
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", p.Start.Year(), (p.Start.Number()+2)/3)
	case Annual:
		return fmt.Sprintf("%04d", p.Start.Year())
	}
	return p.Start.String()
}

// ParsePeriod reads 2026-10, 2026-Q4 or 2026.
func ParsePeriod(s string) (Period, error) {
	if m, err := ledger.ParseMonth(s); err == nil {
		return Period{Span: Monthly, Start: m}, nil
	}
	if len(s) == 7 && s[4:6] == "-Q" && s[6] >= '1' && s[6] <= '4' {
		if y, err := strconv.Atoi(s[:4]); err == nil {
			return Period{Span: Quarterly, Start: ledger.MonthOf(y, int(s[6]-'1')*3+1)}, nil
		}
	}
	if len(s) == 4 {
		if y, err := strconv.Atoi(s); err == nil && y > 0 {
			return Period{Span: Annual, Start: ledger.MonthOf(y, 1)}, nil
		}
	}
	return Period{}, fmt.Errorf("%q is not a period such as 2026-10, 2026-Q4 or 2026", s)
}

// LastDay is the period's last calendar day.
func (p Period) LastDay() ledger.Date {
	end := p.End()
	return end.First() + ledger.Date(end.First().Time().AddDate(0, 1, -1).Day()-1)
}
