package score

import (
	"os"
	"sync"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/synth"
)

// benchLedger loads the ledger TALLY_BENCH_LEDGER names (for example one
// written by `tally generate-ledger`, a million credits), or by default a
// synthetic ledger a hundredth of that size. Loading is not measured.
func benchLedger(b *testing.B) *ledger.Ledger {
	benchOnce.Do(func() {
		dir := os.Getenv("TALLY_BENCH_LEDGER")
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "tally-score-bench-")
			if benchErr != nil {
				return
			}
			defer os.RemoveAll(dir)
			spec := synth.Foundation
			spec.People, spec.Orgs, spec.Credits = spec.People/100, spec.Orgs/100, spec.Credits/100
			if benchErr = synth.Write(dir, spec); benchErr != nil {
				return
			}
		}
		benchL, _, benchErr = ledger.Load(dir, ledger.Options{})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchL
}

var (
	benchOnce sync.Once
	benchL    *ledger.Ledger
	benchErr  error
)

// BenchmarkNew scores a ledger: what `tally report` does between loading
// and building the reports.
func BenchmarkNew(b *testing.B) {
	l := benchLedger(b)
	b.ReportAllocs()
	for b.Loop() {
		New(l)
	}
}
