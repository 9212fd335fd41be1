package report

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tallyledger/tally/internal/health"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/synth"
)

// benchBook loads and scores the ledger TALLY_BENCH_LEDGER names (for
// example one written by `tally generate-ledger`, a million credits), or
// by default a synthetic ledger a hundredth of that size. Loading is not
// measured.
func benchBook(b *testing.B) *score.Book {
	benchOnce.Do(func() {
		dir := os.Getenv("TALLY_BENCH_LEDGER")
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "tally-report-bench-")
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
		l, findings, err := ledger.Load(dir, ledger.Options{})
		if err != nil {
			benchErr = err
			return
		}
		if len(findings) > 0 {
			b.Logf("the ledger has %d findings, first: %v", len(findings), findings[0])
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

// BenchmarkReport builds and renders, as Markdown and JSON, the report of
// every month, quarter and year: what `tally report` does after loading,
// but for the writing of files.
func BenchmarkReport(b *testing.B) {
	book := benchBook(b)
	asOf := book.Months[len(book.Months)-1]
	b.ReportAllocs()
	for b.Loop() {
		var n atomic.Int64
		if err := Render(book, asOf, func(p score.Period, jsonBytes, md []byte) error {
			n.Add(int64(len(jsonBytes) + len(md)))
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n.Load())/(1<<20), "MiB/op")
	}
}

// BenchmarkWrite is BenchmarkReport with the files written (and, after
// the first round, found unchanged).
func BenchmarkWrite(b *testing.B) {
	book := benchBook(b)
	asOf := book.Months[len(book.Months)-1]
	out := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Write(book, partner.NewEvaluator(book).NewDirectory(asOf), out, asOf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHealth is what the health sections add to BenchmarkReport:
// measuring the ledger's waits and releases, then the section of every
// period, on one core (Render builds periods on all of them). The
// periods' figures, which the reports compute anyway, are not measured.
func BenchmarkHealth(b *testing.B) {
	book := benchBook(b)
	asOf := book.Months[len(book.Months)-1]
	bl := newBuilder(book, asOf)
	jobs := periods(book, asOf)
	for _, p := range jobs {
		bl.stats(p)
	}
	b.ReportAllocs()
	for b.Loop() {
		bl.measures = health.New(book)
		for _, p := range jobs {
			bl.health(p, bl.stats(p), nil)
		}
	}
}
