package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// load reads and scores a ledger, failing on any finding: reports are
// only ever made from valid ledgers.
func load(t testing.TB, dir string) *score.Book {
	t.Helper()
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(findings, check.Run(l)...) {
		t.Fatal(f)
	}
	return score.New(l)
}

func latest(b *score.Book) ledger.Month {
	if len(b.Months) == 0 {
		return 0
	}
	return b.Months[len(b.Months)-1]
}

// TestGolden builds the report of one period of each small ledger under
// testdata/<case>/ledger and compares its JSON with want.json beside it
// (and its Markdown with want.md, and the how-it-works page with
// how-it-works.md, when there are). The file period
// names the period, optionally followed by the --as-of month (default:
// the latest month with credits). Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/ledger")
	if err != nil || len(cases) == 0 {
		t.Fatal("no cases in testdata")
	}
	for _, ledgerDir := range cases {
		dir := filepath.Dir(ledgerDir)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			spec, err := os.ReadFile(filepath.Join(dir, "period"))
			if err != nil {
				t.Fatal(err)
			}
			fields := strings.Fields(string(spec))
			p, err := score.ParsePeriod(fields[0])
			if err != nil {
				t.Fatal(err)
			}
			b := load(t, ledgerDir)
			asOf := latest(b)
			if len(fields) > 1 {
				if asOf, err = ledger.ParseMonth(fields[1]); err != nil {
					t.Fatal(err)
				}
			}
			r := Build(b, p, asOf)
			golden(t, filepath.Join(dir, "want.json"), JSON(r), true)
			golden(t, filepath.Join(dir, "want.md"), Markdown(r), false)
			golden(t, filepath.Join(dir, "how-it-works.md"), HowItWorks(b, asOf), false)
			checkInvariants(t, b, r)
		})
	}
}

// golden compares got with a file, rewriting it under -update. An
// optional file that does not exist is not compared.
func golden(t *testing.T, path string, got []byte, required bool) {
	t.Helper()
	if *update && (required || exists(path)) {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) && !required {
		return
	}
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./internal/report -update and review the diff)\n--- got\n%s", path, got)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// checkInvariants holds for every report of every ledger.
func checkInvariants(t *testing.T, b *score.Book, r *Report) {
	t.Helper()
	// Ranks are 1..n in order, in every ranked list.
	for i, p := range r.People {
		if p.Rank != i+1 {
			t.Errorf("%s: people[%d] has rank %d", r.Period, i, p.Rank)
			break
		}
	}
	for i, a := range r.Active {
		if a.Rank != i+1 {
			t.Errorf("%s: active[%d] has rank %d", r.Period, i, a.Rank)
			break
		}
	}
	for i, o := range r.Organizations {
		if o.Rank != i+1 {
			t.Errorf("%s: organizations[%d] has rank %d", r.Period, i, o.Rank)
			break
		}
	}
	if len(r.Active) != len(r.People) {
		t.Errorf("%s: %d active, %d people", r.Period, len(r.Active), len(r.People))
	}
	// Organisations never score more than everyone together.
	sum, people := 0, 0
	for _, o := range r.Organizations {
		sum += o.Score
	}
	for _, p := range r.People {
		people += p.Score
	}
	if sum > r.Totals.Score {
		t.Errorf("%s: organisations score %d, more than all contributors' %d", r.Period, sum, r.Totals.Score)
	}
	if people > r.Totals.Score {
		t.Errorf("%s: people listed score %d, more than all contributors' %d", r.Period, people, r.Totals.Score)
	}
	if o := r.Onion; o.Core+o.Regular+o.Casual != r.Totals.Contributors {
		t.Errorf("%s: onion %+v does not add up to %d contributors", r.Period, o, r.Totals.Contributors)
	}
	// Hidden people and anonymous people's ids appear nowhere.
	out := string(JSON(r))
	for _, p := range b.Ledger.People {
		if p.Visibility != "public" && strings.Contains(out, `"`+p.ID+`"`) {
			t.Errorf("%s: the id of %s person %s appears in the report", r.Period, p.Visibility, p.ID)
		}
		if p.Visibility == "hidden" && strings.Contains(out, `"`+p.Name+`"`) {
			t.Errorf("%s: the name of hidden person %s appears in the report", r.Period, p.ID)
		}
	}
	// The fast JSON writer writes what encoding/json would.
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	if out != want.String() {
		t.Errorf("%s: JSON differs from encoding/json's\n--- got\n%s\n--- encoding/json\n%s", r.Period, out, want.String())
	}
}

// everyReport builds every report of a ledger, checking the invariants
// and that rendering twice gives the same bytes.
func everyReport(t *testing.T, b *score.Book) {
	asOf := latest(b)
	var n atomic.Int64
	err := Render(b, asOf, func(p score.Period, js, md []byte) error {
		n.Add(1)
		r := Build(b, p, asOf)
		checkInvariants(t, b, r)
		if again := JSON(r); !bytes.Equal(js, again) {
			t.Errorf("%s: JSON differs between two renderings", p)
		}
		if again := Markdown(Build(b, p, asOf)); !bytes.Equal(md, again) {
			t.Errorf("%s: Markdown differs between two renderings", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() == 0 {
		t.Fatal("no reports")
	}
}

func TestBundledLedger(t *testing.T) {
	everyReport(t, load(t, "../../ledger"))
}

func TestSynthLedger(t *testing.T) {
	everyReport(t, synthBook(t))
}

func synthBook(t testing.TB) *score.Book {
	dir := t.TempDir()
	if err := synth.Write(dir, synth.Small); err != nil {
		t.Fatal(err)
	}
	return load(t, dir)
}

// TestMonthsMatchTallies: the builder sums credits itself, for speed; it
// must find what score's monthly tallies hold.
func TestMonthsMatchTallies(t *testing.T) {
	for name, b := range map[string]*score.Book{"bundled": load(t, "../../ledger"), "synth": synthBook(t)} {
		bl := newBuilder(b, latest(b))
		for _, m := range b.Months {
			tl, d := b.Tallies(score.Period{Span: score.Monthly, Start: m}), bl.month(m)
			if tl.Score != d.score || tl.Credits != d.credits || len(tl.People) != len(d.members) {
				t.Errorf("%s %s: tallies %d/%d/%d, builder %d/%d/%d", name, m, tl.Score, tl.Credits, len(tl.People), d.score, d.credits, len(d.members))
			}
			for _, mm := range d.members {
				pt := tl.People[mm.who]
				if pt == nil || pt.Score != int(mm.score) || pt.Credits != int(mm.credits) {
					t.Errorf("%s %s: contributor %d differs", name, m, mm.who)
				}
			}
			kinds := 0
			for _, pt := range tl.People {
				kinds += len(pt.Kinds)
			}
			if kinds != len(d.kinds) {
				t.Errorf("%s %s: %d kinds of contributors, builder %d", name, m, kinds, len(d.kinds))
			}
			for _, e := range d.kinds {
				c := tl.People[e.who].Kinds[bl.kindName(e.kind)]
				if c == nil || c.Score != int(e.score) || c.Credits != int(e.credits) {
					t.Errorf("%s %s: contributor %d, kind %s differs", name, m, e.who, bl.kindName(e.kind))
				}
			}
			for what, groups := range map[string][]monthGroup{"org": d.orgs, "project": d.projects} {
				want := tl.Orgs
				if what == "project" {
					want = tl.Projects
				}
				if len(groups) != len(want) {
					t.Errorf("%s %s: %d %ss, builder %d", name, m, len(want), what, len(groups))
				}
				for _, g := range groups {
					o := want[g.id]
					if o == nil || o.Score != g.score || o.Credits != g.credits || len(o.People) != len(g.people) {
						t.Errorf("%s %s: %s %s differs", name, m, what, g.id)
					}
				}
			}
		}
	}
}

// TestRanksMatchScoreRank: the people list is ordered as score.Rank
// orders, though it compares ids through their precomputed order.
func TestRanksMatchScoreRank(t *testing.T) {
	b := synthBook(t)
	asOf := latest(b)
	bl := newBuilder(b, asOf)
	for _, span := range []score.Span{score.Monthly, score.Quarterly, score.Annual} {
		for _, p := range b.Periods(span, asOf) {
			s := bl.stats(p)
			var entries []score.Ranked
			for _, m := range s.members {
				if c := &b.Contributors[m.who]; c.Person == nil || c.Person.Visibility != "hidden" {
					entries = append(entries, score.Ranked{Key: c.ID, Score: int(m.score), Credits: int(m.credits)})
				}
			}
			score.Rank(entries)
			got := make([]string, len(s.listed))
			for i, mi := range s.listed {
				got[i] = b.Contributors[s.members[mi].who].ID
			}
			want := make([]string, len(entries))
			for i, e := range entries {
				want[i] = e.Key
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: people are not in score.Rank's order", p)
			}
		}
	}
}

// TestSortKeysFallBack: keys too wide to pack sort as compareKeys says.
func TestSortKeysFallBack(t *testing.T) {
	bl := &builder{con: make([]contributor, 4)}
	keys := []sortKey{{1 << 30, 1 << 30, 2, 0}, {1 << 30, 1 << 30, 1, 1}, {5, 1, 0, 2}, {-1, 0, 3, 3}}
	want := slices.Clone(keys)
	slices.SortFunc(want, compareKeys)
	bl.sortKeys(keys, newScratch(4))
	if !slices.Equal(keys, want) {
		t.Errorf("got %v, want %v", keys, want)
	}
	keys = []sortKey{{3, 1, 2, 7}, {3, 1, 1, 8}, {3, 2, 3, 9}, {4, 0, 0, 6}}
	want = slices.Clone(keys)
	slices.SortFunc(want, compareKeys)
	bl.sortKeys(keys, newScratch(4))
	if !slices.Equal(keys, want) {
		t.Errorf("packed: got %v, want %v", keys, want)
	}
}

// TestJSONStrings: names with anything in them come out as encoding/json
// writes them.
func TestJSONStrings(t *testing.T) {
	id := "x"
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\r\b\f\x01\x1f",
		"Zoé Laurent", "Trần Văn Minh", "line\u2028sep\u2029", "bad \xff utf-8 \xc3", "emoji 🎉"} {
		r := &Report{People: []Person{{Rank: 1, ID: &id, Name: s}}, Active: []Active{}, Organizations: []Organization{},
			Returning: []Named{}, Quiet: []Named{}, Champions: []Champion{}, Projects: []Project{}, Notes: []string{s}, Alerts: []Alert{},
			Health: Health{Kinds: []KindActivity{}, Projects: []ProjectHealth{}}}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if got := JSON(r); string(got) != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want.String())
		}
	}
}
