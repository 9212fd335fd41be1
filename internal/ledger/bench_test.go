package ledger_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/synth"
)

// benchLedger returns a synthetic ledger for benchmarks. By default it is a
// tenth of foundation scale; TALLY_BENCH_LEDGER names an existing ledger
// instead (for example one written by `tally generate-ledger`, which
// defaults to the full 100k people and a million credits).
func benchLedger(b *testing.B) string {
	if dir := os.Getenv("TALLY_BENCH_LEDGER"); dir != "" {
		return dir
	}
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tally-bench-")
		if err != nil {
			benchErr = err
			return
		}
		spec := synth.Foundation
		spec.People, spec.Orgs, spec.Credits = spec.People/10, spec.Orgs/10, spec.Credits/10
		benchDir, benchErr = dir, synth.Write(dir, spec)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// BenchmarkValidate is what `tally validate` does: load, schema-check and
// check across records.
func BenchmarkValidate(b *testing.B) {
	dir := benchLedger(b)
	b.ReportAllocs()
	for b.Loop() {
		l, findings, err := ledger.Load(dir, ledger.Options{})
		if err != nil {
			b.Fatal(err)
		}
		findings = append(findings, check.Run(l)...)
		if len(findings) > 0 {
			b.Fatalf("synthetic ledger has findings, first: %+v", findings[0])
		}
	}
}

// BenchmarkParseFloor is the floor Load is measured against: reading every
// file and parsing it with yaml.v3 into yaml.Node on all cores, nothing
// more.
func BenchmarkParseFloor(b *testing.B) {
	dir := benchLedger(b)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	b.ReportAllocs()
	for b.Loop() {
		next := make(chan string)
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range next {
					data, err := os.ReadFile(f)
					if err != nil {
						b.Error(err)
						continue
					}
					var n yaml.Node
					if err := yaml.Unmarshal(data, &n); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, f := range files {
			next <- f
		}
		close(next)
		wg.Wait()
	}
}

// BenchmarkUnknownKeys validates a person file made of n unknown keys, as
// a file pasted into the wrong folder can be: the time per key (ns/key)
// stays the same from 10k keys to 40k, since each key is placed through an
// index of its mapping rather than by scanning it.
func BenchmarkUnknownKeys(b *testing.B) {
	for _, n := range []int{10_000, 40_000} {
		var src strings.Builder
		src.WriteString("name: Many Keys\nidentities: {github: many-keys}\n")
		for i := range n {
			fmt.Fprintf(&src, "key%d: 1\n", i)
		}
		fsys := fstest.MapFS{"people/many-keys.yaml": {Data: []byte(src.String())}}
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, findings, err := ledger.LoadFS(fsys, ledger.Options{}); err != nil || len(findings) == 0 {
					b.Fatalf("no findings (err %v)", err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
		})
	}
}
