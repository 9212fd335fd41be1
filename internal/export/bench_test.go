package export

import (
	"os"
	"sync"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/synth"
)

// benchBook loads and scores the ledger TALLY_BENCH_LEDGER names (such as
// one from tally generate-ledger: a million credits), or by default a
// synthetic ledger a tenth of that size. Loading is not measured.
func benchBook(b *testing.B) *score.Book {
	benchOnce.Do(func() {
		dir := os.Getenv("TALLY_BENCH_LEDGER")
		if dir == "" {
			if dir, benchErr = os.MkdirTemp("", "tally-export-bench-"); benchErr != nil {
				return
			}
			defer os.RemoveAll(dir)
			spec := synth.Foundation
			spec.People, spec.Orgs, spec.Credits = spec.People/10, spec.Orgs/10, spec.Credits/10
			if benchErr = synth.Write(dir, spec); benchErr != nil {
				return
			}
		}
		l, _, err := ledger.Load(dir, ledger.Options{})
		if err != nil {
			benchErr = err
			return
		}
		benchBookV = score.New(l)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchBookV
}

var (
	benchOnce  sync.Once
	benchBookV *score.Book
	benchErr   error
)

// BenchmarkExport writes both tables of a scored ledger, as tally export
// does after loading.
func BenchmarkExport(b *testing.B) {
	book := benchBook(b)
	for _, format := range []Format{Parquet, JSONL} {
		b.Run(string(format), func(b *testing.B) {
			dir := b.TempDir()
			b.ReportAllocs()
			for b.Loop() {
				if err := os.RemoveAll(dir); err != nil { // write, not compare
					b.Fatal(err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					b.Fatal(err)
				}
				if _, err := Write(book, format, dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
