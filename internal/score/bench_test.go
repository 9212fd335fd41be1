package score

import (
	"os"
	"slices"
	"strconv"
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

// BenchmarkNewWithRules scores the same ledger under weight rules, with
// facts on its pull requests and reviews: what rules cost.
func BenchmarkNewWithRules(b *testing.B) {
	base := benchLedger(b)
	l := *base
	p := *base.Program
	p.Scoring = slices.Clone(p.Scoring)
	last := &p.Scoring[len(p.Scoring)-1]
	last.Rules = []ledger.WeightRule{
		{Kind: "pull_request", When: []ledger.Condition{{Name: "any_label", List: []string{"trivial"}}}, HasWeight: true},
		{Kind: "pull_request", When: []ledger.Condition{{Name: "max_lines", Number: 5}}, Weight: 1, HasWeight: true},
		{Kind: "pull_request", When: []ledger.Condition{{Name: "only_paths", List: []string{"docs/**", "*.md"}}}, Weight: 1, HasWeight: true},
		{Project: "synth/legacy", Factor: "0.5"},
	}
	last.PointsCap = 60
	l.Program = &p
	l.Credits = slices.Clone(base.Credits)
	paths := [][]string{{"README.md"}, {"docs/guide.md", "docs/faq.md"}, {"src/main.go", "README.md"}}
	for i := range l.Credits {
		if c := &l.Credits[i]; c.Kind == "pull_request" {
			c.Facts = []ledger.Fact{{Key: "additions", Value: strconv.Itoa(i % 40)}, {Key: "deletions", Value: "1"},
				{Key: "files", Value: strconv.Itoa(len(paths[i%3]))}, {Key: "labels", List: []string{}}, {Key: "paths", List: paths[i%3]}}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		New(&l)
	}
}
