package site

import (
	"os"
	"sync"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/synth"
)

// benchInput builds the site's input for the ledger TALLY_BENCH_LEDGER
// names (for example one written by `tally generate-ledger`), or by
// default a synthetic ledger a tenth of a foundation's size, with every
// organisation listed as a partner: the most pages a directory could
// have. Loading is not measured.
func benchInput(b *testing.B) (*score.Book, ledger.Month, []PartnerEntry) {
	b.Helper()
	benchOnce.Do(func() {
		dir := os.Getenv("TALLY_BENCH_LEDGER")
		if dir == "" {
			dir, benchErr = os.MkdirTemp("", "tally-site-bench-")
			if benchErr != nil {
				return
			}
			defer os.RemoveAll(dir)
			spec := synth.Foundation
			spec.People, spec.Orgs, spec.Credits = spec.People/10, spec.Orgs/10, spec.Credits/10
			if benchErr = synth.Write(dir, spec); benchErr != nil {
				return
			}
		}
		var l *ledger.Ledger
		if l, _, benchErr = ledger.Load(dir, ledger.Options{}); benchErr == nil {
			benchBook = score.New(l)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	book, l := benchBook, benchBook.Ledger
	asOf := book.Months[len(book.Months)-1]
	month := book.Tallies(score.Period{Span: score.Monthly, Start: asOf})
	var ranked []score.Ranked
	for _, o := range l.Organizations {
		r := score.Ranked{Key: o.ID}
		if t := month.Orgs[o.ID]; t != nil {
			r.Score, r.Credits = t.Score, t.Credits
		}
		ranked = append(ranked, r)
	}
	var entries []PartnerEntry
	for i, r := range score.Rank(ranked) {
		entries = append(entries, PartnerEntry{ID: r.Key, Rank: r.Rank, Featured: i < 3, Standing: Good})
	}
	return book, asOf, entries
}

var (
	benchOnce sync.Once
	benchBook *score.Book
	benchErr  error
)

// BenchmarkSite builds the input and renders every file of the site: what
// `tally site` does after loading, but for writing the files.
func BenchmarkSite(b *testing.B) {
	book, asOf, entries := benchInput(b)
	b.ReportAllocs()
	for b.Loop() {
		in, err := FromLedger(book, asOf, entries)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(in, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(entries)), "partners")
}

// BenchmarkWriteUnchanged writes a site over itself: the monthly run on an
// unchanged ledger, which compares every file and writes none.
func BenchmarkWriteUnchanged(b *testing.B) {
	book, asOf, entries := benchInput(b)
	in, err := FromLedger(book, asOf, entries)
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	if _, err := Write(in, out, ""); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sum, err := Write(in, out, "")
		if err != nil || sum.Written != 0 {
			b.Fatal(sum, err)
		}
	}
}
