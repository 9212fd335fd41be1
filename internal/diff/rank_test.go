package diff

import (
	"slices"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/synth"
)

// TestRanksMatchScoreRank: a period's people ranked from both sides'
// buckets come out in score.Rank's order of score's own tallies, and so do
// its organisations.
func TestRanksMatchScoreRank(t *testing.T) {
	dir := t.TempDir()
	spec := synth.Small
	spec.Credits, spec.Months = 6000, 14
	if err := synth.Write(dir, spec); err != nil {
		t.Fatal(err)
	}
	l, _, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := score.New(l)
	parts := [2][]*score.Book{{b}, {b}}
	r := newRoster(parts)
	sd := newSides(r, parts)[0]
	asOf := b.Months[len(b.Months)-1]
	for _, span := range spans {
		for _, p := range b.Periods(span, asOf) {
			st := sd.rank(r, 0, p)
			tally := b.Tallies(p)
			var people, orgs []score.Ranked
			for who, pt := range tally.People {
				if c := &b.Contributors[who]; shown(c) {
					people = append(people, score.Ranked{Key: c.ID, Score: pt.Score, Credits: pt.Credits})
				}
			}
			for id, o := range tally.Orgs {
				orgs = append(orgs, score.Ranked{Key: id, Score: o.Score, Credits: o.Credits})
			}
			score.Rank(people)
			score.Rank(orgs)
			if len(people) < 2 {
				t.Fatalf("%s: %d people ranked; the test needs more", p, len(people))
			}
			got := make([]string, len(people))
			for who, rank := range st.rank {
				if rank > 0 {
					got[rank-1] = r.ids[who]
				}
			}
			want := make([]string, len(people))
			for i, e := range people {
				want[i] = e.Key
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: people are not in score.Rank's order\ngot  %v\nwant %v", p, got, want)
			}
			for _, e := range orgs {
				if o := st.org(r.orgs[e.Key]); o.rank != e.Rank || o.score != e.Score || o.credits != e.Credits {
					t.Fatalf("%s: %s ranks %+v, want %+v", p, e.Key, o, e)
				}
			}
		}
	}
}
