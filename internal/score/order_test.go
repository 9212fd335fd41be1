package score

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/synth"
)

// TestByDateAndID checks the day-by-day ordering of credits against a
// plain sort by date, id and index: on a ledger large enough to count days
// and on small ones, with repeated ids, and on dates too far apart to
// count.
func TestByDateAndID(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	start := ledger.MustDate("2019-01-01").Time()
	for _, tc := range []struct {
		n, days int
		far     bool
	}{{0, 1, false}, {1, 1, false}, {50, 3, false}, {20000, 900, false}, {20000, 2, false}, {9000, 400, true}} {
		credits := make([]ledger.Credit, tc.n)
		for i := range credits {
			d := start.AddDate(0, 0, r.IntN(tc.days))
			if tc.far && i%2 == 0 {
				d = d.AddDate(900, 0, 0)
			}
			credits[i] = ledger.Credit{ID: fmt.Sprintf("github:o/%d", r.IntN(tc.n+1)), Date: ledger.MustDate(d.Format(time.DateOnly))}
		}
		want := make([]int32, tc.n)
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(x, y int32) int {
			return cmp.Or(cmp.Compare(credits[x].Date, credits[y].Date), strings.Compare(credits[x].ID, credits[y].ID), cmp.Compare(x, y))
		})
		if got := byDateAndID(credits); !slices.Equal(got, want) {
			t.Errorf("%d credits over %d days (far %v): order differs from a sort by date, id and index", tc.n, tc.days, tc.far)
		}
	}
}

// TestResolveInParts: resolving the credits in parts gives the book one
// pass gives, contributors numbered alike.
func TestResolveInParts(t *testing.T) {
	dir := t.TempDir()
	spec := synth.Small
	spec.Credits = 5000
	if err := synth.Write(dir, spec); err != nil {
		t.Fatal(err)
	}
	l, _, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int, m func(int) int) { minPart, maxParts = n, m }(minPart, maxParts)
	minPart = len(l.Credits) + 1
	whole := New(l)
	for _, n := range []int{2, 3, 7} {
		minPart, maxParts = 100, func(int) int { return n }
		parts := New(l)
		if !reflect.DeepEqual(parts.Contributors, whole.Contributors) || !reflect.DeepEqual(parts.Credits, whole.Credits) {
			t.Errorf("%d parts: contributors or scored credits differ from one pass", n)
		}
	}
}
