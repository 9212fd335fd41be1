package action

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
)

// partnersFile is the part of reports/partners.json the pull request
// describes.
type partnersFile struct {
	AsOf     string `json:"as_of"`
	Partners []struct {
		ID       string `json:"id"`
		Rank     int    `json:"rank"`
		Featured bool   `json:"featured"`
		Standing string `json:"standing"`
		Tier     string `json:"tier"`
	} `json:"partners"`
	Organizations []struct {
		ID       string `json:"id"`
		Eligible bool   `json:"eligible"`
	} `json:"organizations"`
}

func parsePartners(data []byte) (*partnersFile, error) {
	var p partnersFile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// standingOrder ranks standings from best to worst.
var standingOrder = map[string]int{"good": 0, "warning": 1, "lapsed": 2}

func (p *partnersFile) standing(id string) (string, bool) {
	if p == nil {
		return "", false
	}
	for _, x := range p.Partners {
		if x.ID == id {
			return x.Standing, true
		}
	}
	return "", false
}

// losingStanding lists the partners of before whose standing worsens in
// after, or who are no longer partners. Without both files, none.
func losingStanding(before, after *partnersFile) []string {
	if before == nil || after == nil {
		return nil
	}
	var out []string
	for _, p := range before.Partners {
		now, ok := after.standing(p.ID)
		if !ok || standingOrder[now] > standingOrder[p.Standing] {
			out = append(out, p.ID)
		}
	}
	return out
}

// monthlyReport is the part of a monthly report's JSON the pull request
// describes.
type monthlyReport struct {
	Period string  `json:"period"`
	People []mover `json:"people"`
	Orgs   []mover `json:"organizations"`
	Alerts []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Previous int    `json:"previous"`
		Score    int    `json:"score"`
	} `json:"alerts"`
}

type mover struct {
	Rank       int    `json:"rank"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Score      int    `json:"score"`
	DeltaScore int    `json:"delta_score"`
	DeltaRank  *int   `json:"delta_rank"`
}

// latestMonth is the month the run reported to: as-of, else the latest
// monthly report in the folder.
func latestMonth(reports, asOf string) string {
	if asOf != "" {
		return asOf
	}
	names, _ := filepath.Glob(filepath.Join(reports, "monthly", "*.json"))
	var latest string
	for _, n := range names {
		m := strings.TrimSuffix(filepath.Base(n), ".json")
		if _, err := ledger.ParseMonth(m); err == nil && m > latest {
			latest = m
		}
	}
	return latest
}

func readMonthly(reports, month string) *monthlyReport {
	if month == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(reports, "monthly", month+".json"))
	if err != nil {
		return nil
	}
	var r monthlyReport
	if json.Unmarshal(data, &r) != nil {
		return nil
	}
	return &r
}

type bodyInput struct {
	Month, BaseSHA string
	Changes        []gitrev.Change
	Reports        string
	Monthly        *monthlyReport
	Before, After  *partnersFile
	// BlobURL is the web address of a file on the report branch, less the
	// file's path.
	BlobURL string
}

// MaxBody keeps the pull request's description inside GitHub's limit of
// 65,536 characters, with room to spare.
const MaxBody = 60000

const maxMovers = 5

// prBody describes the publication: what changed, who moved most, who
// became eligible, who is at risk, the alerts, and links to the reports.
// Long lists are cut so that the whole stays under MaxBody.
func prBody(in bodyInput) string {
	var b strings.Builder
	if in.Month != "" {
		fmt.Fprintf(&b, "Reports to %s, computed by tally from the ledger at %s. Merging this pull request publishes them; tally updates it while the ledger changes and closes it when there is nothing left to publish.\n", in.Month, shortSHA(in.BaseSHA))
	} else {
		fmt.Fprintf(&b, "Reports computed by tally from the ledger at %s.\n", shortSHA(in.BaseSHA))
	}
	b.WriteString("\n" + changeCounts(in.Changes) + "\n")

	if m := in.Monthly; m != nil {
		if rows := movers(m.Orgs); len(rows) > 0 {
			fmt.Fprintf(&b, "\n### Top movers in %s: organisations\n\n| | organisation | score | change | rank |\n|---|---|---:|---:|---:|\n%s", m.Period, strings.Join(rows, ""))
		}
		if rows := movers(m.People); len(rows) > 0 {
			fmt.Fprintf(&b, "\n### Top movers in %s: people\n\n| | person | score | change | rank |\n|---|---|---:|---:|---:|\n%s", m.Period, strings.Join(rows, ""))
		}
	}
	if in.After != nil {
		var eligible, risk []string
		for _, o := range in.After.Organizations {
			_, partner := in.After.standing(o.ID)
			if o.Eligible && !partner && !wasEligible(in.Before, o.ID) {
				eligible = append(eligible, "- `"+o.ID+"` meets every criterion and may apply\n")
			}
		}
		for _, p := range in.After.Partners {
			if p.Standing == "warning" || p.Standing == "lapsed" {
				line := fmt.Sprintf("- `%s`: %s", p.ID, p.Standing)
				if was, ok := in.Before.standing(p.ID); ok && was != p.Standing {
					line += " (was " + was + ")"
				}
				risk = append(risk, line+"\n")
			}
		}
		list(&b, "New partners eligible", eligible)
		list(&b, "Partners at risk", risk)
	}
	if m := in.Monthly; m != nil {
		var alerts []string
		for _, a := range m.Alerts {
			alerts = append(alerts, fmt.Sprintf("- %s (`%s`): score %d, down from %d\n", report.EscapeMarkdown(a.Name), a.ID, a.Score, a.Previous))
		}
		list(&b, "Alerts", alerts)
	}

	b.WriteString("\n### Full reports\n\n")
	if in.Month != "" {
		fmt.Fprintf(&b, "- [%s](%s)\n", in.Month, in.BlobURL+path.Join(in.Reports, "monthly", in.Month+".md"))
	}
	if in.After != nil {
		fmt.Fprintf(&b, "- [Partners](%s)\n", in.BlobURL+path.Join(in.Reports, "partners.md"))
	}
	fmt.Fprintf(&b, "- [Every report](%s)\n", in.BlobURL+path.Join(in.Reports, "index.md"))
	return b.String()
}

// list writes a section of lines, as many as fit in the body.
func list(b *strings.Builder, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s (%d)\n\n", title, len(lines))
	for i, l := range lines {
		// Room for the rest: this note and the links.
		if b.Len()+len(l) > MaxBody-2000 {
			fmt.Fprintf(b, "- … and %d more: see the reports\n", len(lines)-i)
			return
		}
		b.WriteString(l)
	}
}

func wasEligible(before *partnersFile, id string) bool {
	if before == nil {
		return false
	}
	for _, o := range before.Organizations {
		if o.ID == id {
			return o.Eligible
		}
	}
	return false
}

// movers are the rows of those who gained most score, then rank.
func movers(ms []mover) []string {
	ms = slices.Clone(ms)
	ms = slices.DeleteFunc(ms, func(m mover) bool { return m.DeltaScore <= 0 })
	slices.SortStableFunc(ms, func(a, b mover) int {
		return cmp.Or(cmp.Compare(b.DeltaScore, a.DeltaScore), cmp.Compare(a.Rank, b.Rank))
	})
	var rows []string
	for i, m := range ms[:min(len(ms), maxMovers)] {
		name := m.Name
		if name == "" {
			name = cmp.Or(m.ID, "Anonymous contributor")
		}
		var move string
		if m.DeltaRank != nil {
			move = fmt.Sprintf("%d (%+d)", m.Rank, *m.DeltaRank)
			move = strings.Replace(move, "(+0)", "(=)", 1)
		} else {
			move = fmt.Sprintf("%d (new)", m.Rank)
		}
		rows = append(rows, fmt.Sprintf("| %d | %s | %d | %+d | %s |\n", i+1, report.EscapeMarkdown(name), m.Score, m.DeltaScore, move))
	}
	return rows
}

// changeCounts says how many files of each part of the repository changed.
func changeCounts(changes []gitrev.Change) string {
	if len(changes) == 0 {
		return "Nothing changed."
	}
	counts := map[string]int{}
	var order []string
	for _, c := range changes {
		part := c.Path
		if i := strings.IndexByte(part, '/'); i >= 0 {
			if j := strings.IndexByte(part[i+1:], '/'); j >= 0 {
				part = part[:i+1+j]
			}
		}
		if counts[part] == 0 {
			order = append(order, part)
		}
		counts[part]++
	}
	slices.Sort(order)
	var parts []string
	for _, p := range order {
		parts = append(parts, fmt.Sprintf("`%s` %d", p, counts[p]))
	}
	return fmt.Sprintf("%d files changed: %s.", len(changes), strings.Join(parts, ", "))
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return "`" + s[:12] + "`"
	}
	return "`" + s + "`"
}
