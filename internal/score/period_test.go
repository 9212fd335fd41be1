package score

import (
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

func TestLastDay(t *testing.T) {
	for period, want := range map[string]string{
		"2026-10": "2026-10-31", "2026-02": "2026-02-28", "2024-02": "2024-02-29", "2026-04": "2026-04-30",
		"2026-Q1": "2026-03-31", "2026-Q4": "2026-12-31", "2025": "2025-12-31",
	} {
		p, err := ParsePeriod(period)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.LastDay(); got != ledger.MustDate(want) {
			t.Errorf("%s: last day %s, want %s", period, got, want)
		}
	}
}
