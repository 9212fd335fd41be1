package ledger

import "testing"

func TestPartnerOn(t *testing.T) {
	d := MustDate
	approved := func(org, on string) *Application {
		return &Application{Org: org, Decision: &Decision{Outcome: "approved", Date: d(on)}}
	}
	rejected := &Application{Org: "acme", Decision: &Decision{Outcome: "rejected", Date: d("2024-01-10")}}
	pending := &Application{Org: "acme"}
	apps := []*Application{rejected, pending, approved("acme", "2024-03-01"), approved("globex", "2020-01-01")}
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
		o := &Organization{ID: "acme"}
		if c.ended != "" {
			o.Ended = d(c.ended)
		}
		ix := NewIndex(&Ledger{Organizations: []*Organization{o}, Applications: apps})
		if got := ix.PartnerOn("acme", d(c.on)); got != c.want {
			t.Errorf("ended %q, on %s: partner = %v, want %v", c.ended, c.on, got, c.want)
		}
	}
	reapplied := append(apps, approved("acme", "2026-01-15"))
	ix := NewIndex(&Ledger{Organizations: []*Organization{{ID: "acme", Ended: d("2025-06-01")}}, Applications: reapplied})
	if !ix.PartnerOn("acme", d("2026-02-01")) || ix.PartnerOn("acme", d("2025-12-01")) {
		t.Error("an organisation approved again after its partnership ended is a partner from the new approval only")
	}
}
