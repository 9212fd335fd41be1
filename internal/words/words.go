// Package words writes counts, dates, periods and lists as English prose:
// one way for the reports, the site and the command line's messages, so
// that the same figure reads the same wherever it is shown.
package words

import (
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

var monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// Month is "October 2026".
func Month(m ledger.Month) string {
	return monthNames[m.Number()-1] + " " + strconv.Itoa(m.Year())
}

// ShortMonth is "Oct".
func ShortMonth(m ledger.Month) string { return monthNames[m.Number()-1][:3] }

// Months names the months from..to: "October 2026", "October to
// November 2026", "November 2025 to January 2026".
func Months(from, to ledger.Month) string {
	switch {
	case from == to:
		return Month(from)
	case from.Year() == to.Year():
		return monthNames[from.Number()-1] + " to " + Month(to)
	}
	return Month(from) + " to " + Month(to)
}

// Date is "31 October 2026", and "" for a date not set.
func Date(d ledger.Date) string {
	if d == 0 {
		return ""
	}
	return strconv.Itoa(d.Day()) + " " + Month(d.Month())
}

// Period names a period as a reader says it: "October 2026", "2026 Q4",
// "2026".
func Period(p score.Period) string {
	switch p.Span {
	case score.Quarterly:
		return strconv.Itoa(p.Start.Year()) + " Q" + strconv.Itoa((p.Start.Number()+2)/3)
	case score.Annual:
		return strconv.Itoa(p.Start.Year())
	}
	return Month(p.Start)
}

// Thousands writes 1234567 as 1,234,567.
func Thousands(n int) string {
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

// Plural counts things: "1 credit", "2 credits", "1,024 credits",
// "3 people".
func Plural(n int, word string) string {
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
	return Thousands(n) + " " + word
}

// Signed is a change: "+5", "−4", "±0".
func Signed(n int) string {
	switch {
	case n > 0:
		return "+" + Thousands(n)
	case n < 0:
		return "−" + Thousands(-n)
	}
	return "±0"
}

// List joins names as prose: "A", "A and B", "A, B and C".
func List(names []string) string { return join(names, " and ") }

// Or joins alternatives as prose: "A", "A or B", "A, B or C".
func Or(names []string) string { return join(names, " or ") }

func join(names []string, last string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}

// Ordinal is "1st", "2nd", "11th", "23rd".
func Ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// Kind is a kind of credit as prose: "pull_request" is "pull request".
func Kind(kind string) string { return strings.ReplaceAll(kind, "_", " ") }
