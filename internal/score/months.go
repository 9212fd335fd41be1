package score

import "github.com/tallyledger/tally/internal/ledger"

// OfMonths scores the credits of some months only, with ix, the index of
// the whole ledger's people, organisations and applications. Caps apply
// per month, so each of those months scores exactly as in the whole
// ledger, for a fraction of the work; the other months score nothing.
func OfMonths(l *ledger.Ledger, ix *ledger.Index, months map[ledger.Month]bool) *Book {
	part := *l
	part.Credits = nil
	for _, c := range l.Credits {
		if months[c.Date.Month()] {
			part.Credits = append(part.Credits, c)
		}
	}
	return NewWithIndex(&part, ix)
}
