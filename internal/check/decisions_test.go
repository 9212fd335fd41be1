package check

import (
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

func TestPartnerOn(t *testing.T) {
	d := ledger.MustDate
	approved := func(org, on string) *ledger.Application {
		return &ledger.Application{Org: org, Decision: &ledger.Decision{Outcome: "approved", Date: d(on)}}
	}
	rejected := &ledger.Application{Org: "acme", Decision: &ledger.Decision{Outcome: "rejected", Date: d("2024-01-10")}}
	pending := &ledger.Application{Org: "acme"}
	apps := []*ledger.Application{rejected, pending, approved("acme", "2024-03-01"), approved("globex", "2020-01-01")}
	cases := []struct {
		ended, on string
		want      bool
	}{
		{"", "2024-02-29", false}, // before the approval; a rejection does not count
		{"", "2024-03-01", true},  // from the decision's date
		{"", "2030-01-01", true},  // no end
		{"2025-06-01", "2025-05-31", true},
		{"2025-06-01", "2025-06-01", false}, // ended that day
		{"2024-02-01", "2024-05-01", true},  // an end before the latest approval is from an earlier partnership
	}
	for _, c := range cases {
		o := &ledger.Organization{ID: "acme"}
		if c.ended != "" {
			o.Ended = d(c.ended)
		}
		if got := partnerOn(apps, o, d(c.on)); got != c.want {
			t.Errorf("ended %q, on %s: partner = %v, want %v", c.ended, c.on, got, c.want)
		}
	}
	reapplied := append(apps, approved("acme", "2026-01-15"))
	o := &ledger.Organization{ID: "acme", Ended: d("2025-06-01")}
	if !partnerOn(reapplied, o, d("2026-02-01")) || partnerOn(reapplied, o, d("2025-12-01")) {
		t.Error("an organisation approved again after its partnership ended is a partner from the new approval only")
	}
}
