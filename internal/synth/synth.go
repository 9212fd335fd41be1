// Package synth writes synthetic ledgers of any size: valid, deterministic
// for a given seed, and shaped like a real community (most credits from a
// few people, affiliations that change, several sources). Benchmarks and
// tests use them to measure loading and validation at foundation scale.
package synth

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/tallyledger/tally/internal/ledger"
)

// Spec sizes a synthetic ledger.
type Spec struct {
	People, Orgs, Credits, Months int
	// Start is the first month of credits.
	Start ledger.Month
	Seed  uint64
}

// Small is a ledger that tests load in milliseconds.
var Small = Spec{People: 60, Orgs: 6, Credits: 2000, Months: 6, Start: ledger.MonthOf(2026, 1), Seed: 1}

// Foundation is the scale the loader is designed for: 100k people, 2k
// organisations, a million credits over ten years.
var Foundation = Spec{People: 100000, Orgs: 2000, Credits: 1000000, Months: 120, Start: ledger.MonthOf(2016, 11), Seed: 1}

var sources = []struct {
	name  string
	kinds []string
}{
	{"github", []string{"pull_request", "pull_request", "review", "review", "issue", "comment"}},
	{"discourse", []string{"forum_solution"}},
	{"manual", []string{"meetup", "talk", "blog_post"}},
}

var countries = []string{"US", "GB", "DE", "FR", "IN", "BR", "VN", "CH", "JP", "NG"}

const program = `name: Synthetic Community
timezone: UTC
leadership: [p0000000, p0000001]
team_leads:
  community: [p0000002]
  docs: [p0000003]
scoring:
  - from: 2000-01-01
    kinds:
      pull_request: {weight: 3, cap: 20}
      review: {weight: 2, cap: 30}
      issue: {weight: 1}
      comment: {weight: 0}
      forum_solution: {weight: 2}
      meetup: {weight: 5, area: community}
      talk: {weight: 5, area: community}
      blog_post: {weight: 3, area: docs}
`

// Write creates the ledger in dir, which must not exist or be empty.
func Write(dir string, s Spec) error {
	r := rand.New(rand.NewPCG(s.Seed, s.Seed^0x5eed))
	if err := writeFile(dir, "program.yaml", func(w *bufio.Writer) { w.WriteString(program) }); err != nil {
		return err
	}
	for i := 0; i < s.Orgs; i++ {
		id := orgID(i)
		err := writeFile(dir, "organizations/"+id+".yaml", func(w *bufio.Writer) {
			fmt.Fprintf(w, "name: Organisation %d\ncountry: %s\nwebsite: https://%s.example\naccounts: {opencollective: %s-oc}\n",
				i, countries[i%len(countries)], id, id)
		})
		if err != nil {
			return err
		}
	}
	first := s.Start.First()
	for i := 0; i < s.People; i++ {
		id := personID(i)
		err := writeFile(dir, fmt.Sprintf("people/%s/%s.yaml", id[len(id)-2:], id), func(w *bufio.Writer) {
			fmt.Fprintf(w, "name: Person %d\nidentities: {github: gh-%07d, discourse: d%07d}\n", i, i, i)
			if s.Orgs > 0 && r.IntN(10) < 6 {
				// Most people work for an organisation; some move mid-month.
				org := orgID(r.IntN(s.Orgs))
				if r.IntN(4) == 0 {
					switchOn := first.Month() + ledger.Month(r.IntN(max(s.Months, 1)))
					day := ledger.Date(int(switchOn.First()) + 1 + r.IntN(27))
					fmt.Fprintf(w, "affiliations:\n  - {org: %s, from: %s, until: %s}\n  - {org: %s, from: %s}\n",
						org, first, day, orgID(r.IntN(s.Orgs)), day)
				} else {
					fmt.Fprintf(w, "affiliations:\n  - {org: %s, from: %s}\n", org, first)
				}
			}
			if i%997 == 0 {
				w.WriteString("visibility: hidden\n")
			}
		})
		if err != nil {
			return err
		}
	}
	perShard := max(s.Credits/max(s.Months*len(sources), 1), 1)
	written := 0
	for m := 0; m < s.Months && written < s.Credits; m++ {
		month := s.Start + ledger.Month(m)
		for si, src := range sources {
			n := perShard
			if m == s.Months-1 && si == len(sources)-1 {
				n = s.Credits - written
			}
			n = min(n, s.Credits-written)
			path := fmt.Sprintf("credits/%04d/%02d/%s.yaml", month.Year(), month.Number(), src.name)
			err := writeFile(dir, path, func(w *bufio.Writer) {
				w.WriteString("credits:\n")
				for day := 1; day <= 28; day++ {
					// Spread the shard's credits over the month in date order.
					from, to := n*(day-1)/28, n*day/28
					for k := from; k < to; k++ {
						writeCredit(w, r, s, src.name, src.kinds, month, day, written+k)
					}
				}
			})
			if err != nil {
				return err
			}
			written += n
		}
	}
	return nil
}

func writeCredit(w *bufio.Writer, r *rand.Rand, s Spec, source string, kinds []string, month ledger.Month, day, seq int) {
	kind := kinds[r.IntN(len(kinds))]
	// A power law: a few people make most contributions.
	p := int(float64(s.People) * r.Float64() * r.Float64() * r.Float64())
	var who string
	switch x := r.IntN(10); {
	case x == 0:
		who = fmt.Sprintf("github:drive-by-%d", r.IntN(s.People+1))
	case x <= 2:
		who = personID(p)
	case source == "discourse":
		who = fmt.Sprintf("discourse:d%07d", p)
	default:
		who = fmt.Sprintf("github:gh-%07d", p)
	}
	fmt.Fprintf(w, "  - id: %s:synth/%d\n    who: %s\n    kind: %s\n    date: %04d-%02d-%02d\n",
		source, seq, who, kind, month.Year(), month.Number(), day)
	if source == "github" {
		fmt.Fprintf(w, "    url: https://github.com/synth/core/pull/%d\n    title: Change number %d\n    project: synth/core\n", seq, seq)
		if kind == "pull_request" || kind == "issue" {
			// Opened up to three weeks before, from the sequence number
			// rather than the random source, which stays as it was.
			opened := ledger.Date(month.First() + ledger.Date(day-1)).AddDays(-(seq % 22))
			fmt.Fprintf(w, "    facts: {opened: %sT%02d:%02d:00Z}\n", opened, seq%24, seq%60)
		}
	}
	if s.Orgs > 0 && seq%50 == 0 {
		fmt.Fprintf(w, "    org: %s\n", orgID(seq%s.Orgs))
	}
}

func personID(i int) string { return fmt.Sprintf("p%07d", i) }
func orgID(i int) string    { return fmt.Sprintf("org-%04d", i) }

func writeFile(dir, rel string, fill func(*bufio.Writer)) error {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
