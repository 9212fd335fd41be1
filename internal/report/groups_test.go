package report

import (
	"testing"

	"github.com/tallyledger/tally/internal/score"
)

// TestPeriodsMatchTallies: every period's organisations and projects, as
// the builder merges them from its months, hold what score's tallies of
// the whole period hold: scores, credits and people counted once each.
func TestPeriodsMatchTallies(t *testing.T) {
	for name, b := range map[string]*score.Book{"bundled": load(t, "../../ledger"), "synth": synthBook(t)} {
		asOf := latest(b)
		bl := newBuilder(b, asOf)
		for _, span := range []score.Span{score.Monthly, score.Quarterly, score.Annual} {
			for _, p := range b.Periods(span, asOf) {
				s, tl := bl.stats(p), b.Tallies(p)
				for what, groups := range map[string][]group{"org": s.orgs, "project": s.projects} {
					want := tl.Orgs
					if what == "project" {
						want = tl.Projects
					}
					if len(groups) != len(want) {
						t.Errorf("%s %s: %d %ss, builder %d", name, p, len(want), what, len(groups))
					}
					for _, g := range groups {
						o := want[g.id]
						if o == nil || o.Score != g.score || o.Credits != g.credits || len(o.People) != g.people {
							t.Errorf("%s %s: %s %s differs: builder %+v", name, p, what, g.id, g)
						}
					}
				}
			}
		}
	}
}
