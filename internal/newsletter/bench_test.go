package newsletter

import (
	"os"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/synth"
)

// BenchmarkWriteUnchanged writes every month's newsletter over itself, as
// the monthly run does on a ledger whose past has not changed: building
// them all, comparing every file, writing none. The ledger is the one
// TALLY_BENCH_LEDGER names, or by default a synthetic one a tenth of a
// foundation's size (ten years of months). Loading is not measured.
func BenchmarkWriteUnchanged(b *testing.B) {
	dir := os.Getenv("TALLY_BENCH_LEDGER")
	if dir == "" {
		dir = b.TempDir()
		spec := synth.Foundation
		spec.People, spec.Orgs, spec.Credits = spec.People/10, spec.Orgs/10, spec.Credits/10
		if err := synth.Write(dir, spec); err != nil {
			b.Fatal(err)
		}
	}
	l, _, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		b.Fatal(err)
	}
	book := score.New(l)
	asOf := book.Months[len(book.Months)-1]
	out := b.TempDir()
	if _, err := Write(book, out, asOf, "https://example.org/partners/"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if sum, err := Write(book, out, asOf, "https://example.org/partners/"); err != nil || sum.Written != 0 {
			b.Fatal(sum, err)
		}
	}
	b.ReportMetric(float64(len(book.Months)), "months")
}
