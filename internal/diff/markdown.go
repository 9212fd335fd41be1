package diff

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits keep the Markdown readable in a pull request, and inside GitHub's
// 65,536 characters for a comment; the JSON holds everything.
const (
	maxChars   = 50000 // for the period sections together
	maxRows    = 20    // rows per table
	maxFiles   = 50    // files listed under Why
	maxEntries = 10    // credits or payments listed per file
)

// Markdown writes the result as GitHub Markdown.
func (r *Result) Markdown(w io.Writer) error {
	var b strings.Builder
	head := "the work tree"
	if r.Head != "" {
		head = "`" + short(r.Head) + "`"
	}
	fmt.Fprintf(&b, "### Tally: `%s` → %s\n\n", short(r.Base), head)
	switch {
	case r.Files == 0:
		b.WriteString("No ledger file changes.\n")
		_, err := io.WriteString(w, b.String())
		return err
	case len(r.Periods) == 0:
		fmt.Fprintf(&b, "%s changed; no score or rank moves.\n", count(r.Files, "ledger file", "ledger files"))
	default:
		fmt.Fprintf(&b, "%s changed; %s move.\n", count(r.Files, "ledger file", "ledger files"), count(len(r.Periods), "period", "periods"))
	}
	size := 0
	for i, p := range r.Periods {
		var sec strings.Builder
		fmt.Fprintf(&sec, "\n#### %s\n", p.Period)
		table(&sec, "Person", "people", p.People, p.Previous)
		table(&sec, "Organisation", "organisations", p.Organizations, p.Previous)
		if size += sec.Len(); size > maxChars && i > 0 {
			var rest []string
			for _, q := range r.Periods[i:] {
				rest = append(rest, q.Period)
			}
			fmt.Fprintf(&b, "\nAlso moving (`--format json` has them): %s.\n", strings.Join(rest, ", "))
			break
		}
		b.WriteString(sec.String())
	}
	if len(r.Changes) > 0 {
		b.WriteString("\n#### Why\n\n")
		why(&b, r.Changes)
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n#### Problems in the changed files\n\nRun `tally validate` for details.\n\n")
		for _, s := range r.Warnings {
			fmt.Fprintf(&b, "- %s\n", escape(s))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// table writes one ranking's moves. The change since the previous period
// gets a column only where it says more than the change of rank and score:
// in the period after a changed one.
func table(b *strings.Builder, what, plural string, moves []Move, previous string) {
	if len(moves) == 0 {
		return
	}
	since := false
	for _, m := range moves {
		since = since || m.sinceMoves
	}
	shown, hidden := trim(moves)
	b.WriteString("\n| " + what + " | Score | Credits | Rank |")
	align := "\n| :-- | --: | --: | --: |"
	if since {
		b.WriteString(" Since " + previous + " |")
		align += " --: |"
	}
	b.WriteString(align + "\n")
	for _, m := range shown {
		fmt.Fprintf(b, "| %s | %s | %s | %s |", escape(m.Name), scoreCell(m.Score), creditsCell(m.Credits), rankCell(m.Rank))
		if since {
			fmt.Fprintf(b, " %s |", sinceCell(m))
		}
		b.WriteByte('\n')
	}
	if hidden > 0 {
		fmt.Fprintf(b, "\n…and %d more %s; `--format json` lists everyone.\n", hidden, plural)
	}
}

// trim orders a table's rows, those whose score or credits (or change of
// score since the previous period) change first, then those who only
// shift, each in rank order, and keeps at most maxRows of them.
func trim(moves []Move) ([]Move, int) {
	core := func(m Move) bool {
		return m.Score.Before != m.Score.After || m.Credits.Before != m.Credits.After ||
			m.DeltaScore != nil && !m.DeltaScore.same()
	}
	var first, then []Move
	for _, m := range moves {
		if core(m) {
			first = append(first, m)
		} else {
			then = append(then, m)
		}
	}
	rows := append(first, then...)
	if len(rows) <= maxRows {
		return rows, 0
	}
	return rows[:maxRows], len(rows) - maxRows
}

func scoreCell(s Ints) string {
	if s.Before == s.After {
		return strconv.Itoa(s.After)
	}
	return fmt.Sprintf("%d → %d (%s)", s.Before, s.After, signed(s.After-s.Before))
}

func creditsCell(c Ints) string {
	if c.Before == c.After {
		return strconv.Itoa(c.After)
	}
	return fmt.Sprintf("%d → %d", c.Before, c.After)
}

func rankCell(r Ranks) string {
	switch {
	case r.same():
		return rankText(r.After)
	case r.Before != nil && r.After != nil:
		return fmt.Sprintf("%d → %d (%s)", *r.Before, *r.After, arrow(*r.Before-*r.After))
	}
	return rankText(r.Before) + " → " + rankText(r.After)
}

func rankText(r *int) string {
	if r == nil {
		return "–"
	}
	return strconv.Itoa(*r)
}

func sinceCell(m Move) string {
	if m.DeltaScore == nil {
		return ""
	}
	before := deltaText(m.DeltaScore.Before, m.DeltaRank.Before)
	after := deltaText(m.DeltaScore.After, m.DeltaRank.After)
	if before == after {
		return after
	}
	return before + " → " + after
}

// deltaText shows a change since the previous period: "+3, ↑2", or "new"
// for someone unranked then.
func deltaText(score, rank *int) string {
	if score == nil {
		return "–"
	}
	if rank == nil {
		return signed(*score) + ", new"
	}
	return signed(*score) + ", " + arrow(*rank)
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	if n == 0 {
		return "±0"
	}
	return strconv.Itoa(n)
}

// arrow shows a move up (positive) or down the ranking.
func arrow(up int) string {
	switch {
	case up > 0:
		return "↑" + strconv.Itoa(up)
	case up < 0:
		return "↓" + strconv.Itoa(-up)
	}
	return "="
}

// why lists the changed records, file by file: a file with one change on
// one line.
func why(b *strings.Builder, changes []RecordChange) {
	for i, files := 0, 0; i < len(changes); files++ {
		if files == maxFiles {
			rest := map[string]bool{}
			for _, c := range changes[i:] {
				rest[c.Path] = true
			}
			fmt.Fprintf(b, "- …and %s more\n", count(len(rest), "file", "files"))
			return
		}
		j := i + 1
		for j < len(changes) && changes[j].Path == changes[i].Path {
			j++
		}
		group := changes[i:j]
		i = j
		c := group[0]
		if c.ID == "" {
			fmt.Fprintf(b, "- %s %s", code(c.Path), c.Change)
			if c.Change == "edited" && len(c.Fields) > 0 {
				b.WriteString(": " + fieldList(c.Fields))
			}
			b.WriteByte('\n')
			continue
		}
		if len(group) == 1 {
			fmt.Fprintf(b, "- %s: %s\n", code(c.Path), entryText(c))
			continue
		}
		fmt.Fprintf(b, "- %s: %s\n", code(c.Path), tallyChanges(group))
		for k, c := range group {
			if k == maxEntries {
				fmt.Fprintf(b, "  - …and %d more\n", len(group)-k)
				break
			}
			fmt.Fprintf(b, "  - %s\n", entryText(c))
		}
	}
}

// entryText says what happened to a credit or a payment.
func entryText(c RecordChange) string {
	s := fmt.Sprintf("%s %s %s", c.Record, code(c.ID), c.Change)
	if c.From != "" {
		s += " from " + code(c.From)
	}
	if len(c.Fields) > 0 {
		s += ": " + fieldList(c.Fields)
	}
	return s
}

// tallyChanges sums up a file's changes: "3 credits added, 1 edited".
func tallyChanges(group []RecordChange) string {
	counts := map[string]int{}
	for _, c := range group {
		counts[c.Change]++
	}
	var parts []string
	for _, ch := range []string{"added", "moved", "edited", "removed"} {
		if n := counts[ch]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, ch))
		}
	}
	noun := group[0].Record + "s"
	if noun == "credits" || noun == "payments" {
		return strings.Replace(strings.Join(parts, ", "), " ", " "+noun+" ", 1)
	}
	return strings.Join(parts, ", ")
}

func fieldList(fields []FieldChange) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = escape(f.Field)
		if f.Before != "" || f.After != "" {
			parts[i] += " " + escape(orDash(f.Before)) + " → " + escape(orDash(f.After))
		}
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// escape keeps names and values from being read as Markdown or HTML.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '&':
			b.WriteByte('\\')
		case '\n', '\r':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// code shows a path or an id as code, whatever backticks it holds.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if len(fence) > 1 || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
