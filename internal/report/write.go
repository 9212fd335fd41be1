package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// Summary counts what Write did to the files.
type Summary struct {
	Written, Unchanged, Removed int
}

// spans and the folders their reports go to, largest first: Write starts
// the longest jobs first so that the cores finish together.
var spans = []struct {
	span   score.Span
	folder string
}{{score.Annual, "annual"}, {score.Quarterly, "quarterly"}, {score.Monthly, "monthly"}}

// Write writes the report of every period with credits up to asOf, as
// Markdown and JSON, an index, and the partners directory d (as of asOf;
// nil for none), under out: monthly/YYYY-MM, quarterly/YYYY-Qn,
// annual/YYYY, index.md and partners.{json,md}. A file is replaced
// atomically, and only when its bytes change, so that an unchanged ledger
// leaves out/ untouched. Reports of periods that no longer have one are
// removed, and so are the temporary files of a killed run, which a
// .gitignore written into out (when it has none) keeps out of git;
// nothing else in out/ is touched.
func Write(b *score.Book, d *partner.Directory, out string, asOf ledger.Month) (Summary, error) {
	folders := map[score.Span]string{}
	var dirs []string
	for _, s := range spans {
		folders[s.span] = s.folder
		dirs = append(dirs, filepath.Join(out, s.folder))
		if err := os.MkdirAll(dirs[len(dirs)-1], 0o755); err != nil {
			return Summary{}, err
		}
	}
	var written, unchanged atomic.Int64
	save := func(path string, data []byte) error {
		changed, err := atomicfile.Update(path, data, 0o644)
		switch {
		case err != nil:
			return err
		case changed:
			written.Add(1)
		default:
			unchanged.Add(1)
		}
		return nil
	}
	err := Render(b, asOf, func(p score.Period, jsonData, md []byte) error {
		base := filepath.Join(out, folders[p.Span], p.String())
		if err := save(base+".json", jsonData); err != nil {
			return err
		}
		return save(base+".md", md)
	})
	if err != nil {
		return Summary{}, err
	}
	jobs := periods(b, asOf)
	if err := save(filepath.Join(out, "index.md"), index(b, jobs, asOf)); err != nil {
		return Summary{}, err
	}
	if len(jobs) > 0 {
		if err := save(filepath.Join(out, "how-it-works.md"), HowItWorks(b, asOf)); err != nil {
			return Summary{}, err
		}
	}
	if d != nil {
		if err := save(filepath.Join(out, "partners.json"), PartnersJSON(d)); err != nil {
			return Summary{}, err
		}
		if err := save(filepath.Join(out, "partners.md"), PartnersMarkdown(d, b)); err != nil {
			return Summary{}, err
		}
	}

	sum := Summary{Written: int(written.Load()), Unchanged: int(unchanged.Load())}
	if wrote, err := atomicfile.Tidy(out, dirs...); err != nil {
		return sum, err
	} else if wrote {
		sum.Written++
	}
	keep := map[string]bool{}
	for _, p := range jobs {
		keep[p.String()] = true
	}
	for _, s := range spans {
		dir := filepath.Join(out, s.folder)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return sum, err
		}
		for _, e := range entries {
			name := e.Name()
			ext := filepath.Ext(name)
			period := strings.TrimSuffix(name, ext)
			if !e.Type().IsRegular() || (ext != ".md" && ext != ".json") || keep[period] || !isPeriod(period, s.span) {
				continue
			}
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return sum, err
			}
			sum.Removed++
		}
	}
	return sum, nil
}

// periods lists every period with credits up to asOf, years first.
func periods(b *score.Book, asOf ledger.Month) []score.Period {
	var out []score.Period
	for _, s := range spans {
		out = append(out, b.Periods(s.span, asOf)...)
	}
	return out
}

// Render builds the report of every period with credits up to asOf and
// renders it as JSON and Markdown, on all cores, handing each to emit
// (called concurrently; the bytes are only valid during the call). It
// stops at emit's first error.
func Render(b *score.Book, asOf ledger.Month, emit func(p score.Period, json, markdown []byte) error) error {
	bl := newBuilder(b, asOf)
	jobs := periods(b, asOf)
	var failed atomic.Bool
	var errOnce sync.Once
	var firstErr error
	next := make(chan score.Period)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Reused from one period to the next: a foundation's year is
			// tens of MiB of JSON.
			var buf []byte
			r := &Report{}
			for p := range next {
				if failed.Load() {
					continue
				}
				bl.build(p, r)
				buf = appendJSON(buf[:0], r)
				if err := emit(p, buf, Markdown(r)); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
				}
			}
		}()
	}
	for _, p := range jobs {
		next <- p
	}
	close(next)
	wg.Wait()
	return firstErr
}

// isPeriod tells whether a file name (without extension) is the name of a
// report of the span: only those are Write's to remove.
func isPeriod(name string, s score.Span) bool {
	p, err := score.ParsePeriod(name)
	return err == nil && p.Span == s && p.String() == name
}

// index lists every report, the latest first.
func index(b *score.Book, jobs []score.Period, asOf ledger.Month) []byte {
	name := "The community"
	if p := b.Ledger.Program; p != nil && p.Name != "" {
		name = p.Name
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# %s reports\n\n", escape(name))
	bySpan := map[score.Span][]score.Period{}
	for _, p := range jobs {
		bySpan[p.Span] = append(bySpan[p.Span], p)
	}
	if len(jobs) == 0 {
		buf.WriteString("No reports yet: the ledger has no credits.\n")
		return buf.Bytes()
	}
	link := func(p score.Period, name string) string {
		folder := map[score.Span]string{score.Monthly: "monthly", score.Quarterly: "quarterly", score.Annual: "annual"}[p.Span]
		s := "[" + name + "](" + folder + "/" + p.String() + ".md)"
		if p.End() > asOf {
			s += " (to date)"
		}
		return s
	}
	var latest []string
	for _, s := range []score.Span{score.Monthly, score.Quarterly, score.Annual} {
		if ps := bySpan[s]; len(ps) > 0 {
			latest = append(latest, link(ps[len(ps)-1], words.Period(ps[len(ps)-1])))
		}
	}
	fmt.Fprintf(&buf, "Shout-outs for everyone who contributed, month by month, quarter by quarter and year by year. "+
		"The latest: %s.\n\n", strings.Join(latest, " · "))
	fmt.Fprintf(&buf, "The [partners directory](partners.md) as of %s: who the partners are, who is featured, and how close "+
		"every organisation is to partnership. [How it works](how-it-works.md): how to get on the shout-outs and how scores are computed.\n\n", words.Month(asOf))

	byYear := func(ps []score.Period, name func(score.Period) string) {
		buf.WriteString("| Year | Reports |\n|---|---|\n")
		for i := len(ps) - 1; i >= 0; {
			year := ps[i].Start.Year()
			var links []string
			for ; i >= 0 && ps[i].Start.Year() == year; i-- {
				links = append(links, link(ps[i], name(ps[i])))
			}
			fmt.Fprintf(&buf, "| %d | %s |\n", year, strings.Join(links, " · "))
		}
		buf.WriteString("\n")
	}
	buf.WriteString("## Monthly\n\n")
	byYear(bySpan[score.Monthly], func(p score.Period) string { return words.ShortMonth(p.Start) })
	buf.WriteString("## Quarterly\n\n")
	byYear(bySpan[score.Quarterly], func(p score.Period) string { return "Q" + strconv.Itoa((p.Start.Number()+2)/3) })
	buf.WriteString("## Annual\n\n")
	annual := bySpan[score.Annual]
	for i := len(annual) - 1; i >= 0; i-- {
		fmt.Fprintf(&buf, "- %s\n", link(annual[i], words.Period(annual[i])))
	}
	buf.WriteString("\nEach report has a JSON twin beside it (same name, `.json`) for scripts. " +
		"They are generated from the ledger by `tally report`; do not edit them by hand.\n")
	return buf.Bytes()
}
