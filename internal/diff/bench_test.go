package diff

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
	"github.com/tallyledger/tally/internal/synth"
)

// BenchmarkDiff is what a pull request's check does: compare two commits
// that differ in one credit. TALLY_BENCH_LEDGER_REPO names a repository
// whose ledger/ folder changed that way between HEAD~1 and HEAD (for
// example the synthetic foundation ledger, committed, then one credit's
// kind edited and committed); without it the benchmark builds a ledger a
// hundredth of that size.
func BenchmarkDiff(b *testing.B) {
	dir := os.Getenv("TALLY_BENCH_LEDGER_REPO")
	if dir == "" {
		dir = benchRepo(b)
	}
	o := Options{Dir: filepath.Join(dir, "ledger"), Base: "HEAD~1", Head: "HEAD"}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Run(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Periods) == 0 || len(res.Changes) != 1 {
			b.Fatalf("%d periods move, %d records change; want some periods and 1 record", len(res.Periods), len(res.Changes))
		}
	}
}

func benchRepo(b *testing.B) string {
	r := gittest.New(b)
	spec := synth.Foundation
	spec.People, spec.Orgs, spec.Credits = spec.People/100, spec.Orgs/100, spec.Credits/100
	if err := synth.Write(r.Path("ledger"), spec); err != nil {
		b.Fatal(err)
	}
	r.Commit("synthetic ledger")
	shard := "ledger/credits/" + strings.ReplaceAll((spec.Start+55).String(), "-", "/") + "/github.yaml"
	s := r.Read(shard)
	i := strings.Index(s, "kind: ")
	j := i + strings.IndexByte(s[i:], '\n')
	kind := "review"
	if s[i+6:j] == kind {
		kind = "issue"
	}
	r.Write(shard, s[:i]+"kind: "+kind+s[j:])
	r.Commit("one credit's kind")
	return r.Dir
}
