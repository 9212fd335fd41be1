package report

import (
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// monthWords is "October 2026".
func monthWords(m ledger.Month) string {
	return monthNames[m.Number()-1] + " " + strconv.Itoa(m.Year())
}

// periodWords names a period as a reader says it: "October 2026",
// "2026 Q4", "2026".
func periodWords(p score.Period) string {
	switch p.Span {
	case score.Quarterly:
		return strconv.Itoa(p.Start.Year()) + " Q" + strconv.Itoa((p.Start.Number()+2)/3)
	case score.Annual:
		return strconv.Itoa(p.Start.Year())
	}
	return monthWords(p.Start)
}

// dateWords is "31 October 2026".
func dateWords(d ledger.Date) string {
	return strconv.Itoa(d.Day()) + " " + monthWords(d.Month())
}

// monthsWords names the months from..to: "October 2026", "October to
// November 2026", "November 2025 to January 2026".
func monthsWords(from, to ledger.Month) string {
	switch {
	case from == to:
		return monthWords(from)
	case from.Year() == to.Year():
		return monthNames[from.Number()-1] + " to " + monthWords(to)
	}
	return monthWords(from) + " to " + monthWords(to)
}

// thousands formats 1234567 as 1,234,567.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Plural is "1 credit", "2 credits", "1,024 credits": how the reports, and
// the command line's messages, count things.
func Plural(n int, word string) string { return plural(n, word) }

// Thousands writes 102361 as 102,361.
func Thousands(n int) string { return thousands(n) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	switch word {
	case "person":
		word = "people"
	case "identity":
		word = "identities"
	default:
		word += "s"
	}
	return thousands(n) + " " + word
}

// signed is a change: "+5", "−4", "±0".
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + thousands(n)
	case n < 0:
		return "−" + thousands(-n)
	}
	return "±0"
}

// ListWords joins names as prose: "A", "A and B", "A, B and C".
func ListWords(names []string) string { return listWords(names) }

func listWords(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// kindWords is a kind as prose: "pull_request" -> "pull request".
func kindWords(kind string) string { return strings.ReplaceAll(kind, "_", " ") }
