package words

import (
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

func TestNumbers(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 102361: "102,361", 1000000: "1,000,000", -1234: "-1,234"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for _, c := range []struct {
		n          int
		word, want string
	}{{1, "credit", "1 credit"}, {0, "credit", "0 credits"}, {1, "person", "1 person"}, {2, "person", "2 people"}, {2, "identity", "2 identities"},
		{1024, "credit", "1,024 credits"}, {1161, "point", "1,161 points"}} {
		if got := Plural(c.n, c.word); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.word, got, c.want)
		}
	}
	for n, want := range map[int]string{5: "+5", -4: "−4", 0: "±0", 1500: "+1,500"} {
		if got := Signed(n); got != want {
			t.Errorf("Signed(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd"} {
		if got := Ordinal(n); got != want {
			t.Errorf("Ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLists(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{{nil, ""}, {[]string{"A"}, "A"}, {[]string{"A", "B"}, "A and B"}, {[]string{"A", "B", "C"}, "A, B and C"}} {
		if got := List(c.names); got != c.want {
			t.Errorf("List(%q) = %q, want %q", c.names, got, c.want)
		}
	}
	if got := Or([]string{"A", "B", "C"}); got != "A, B or C" {
		t.Errorf("Or = %q", got)
	}
	if got := Kind("pull_request"); got != "pull request" {
		t.Errorf("Kind = %q", got)
	}
}

func TestDates(t *testing.T) {
	oct, nov, jan := ledger.MonthOf(2026, 10), ledger.MonthOf(2026, 11), ledger.MonthOf(2027, 1)
	for _, c := range []struct{ got, want string }{
		{Month(oct), "October 2026"},
		{Months(oct, oct), "October 2026"},
		{Months(oct, nov), "October to November 2026"},
		{Months(nov, jan), "November 2026 to January 2027"},
		{Date(ledger.MustDate("2026-10-31")), "31 October 2026"},
		{Date(0), ""},
		{Period(score.Period{Span: score.Monthly, Start: oct}), "October 2026"},
		{Period(score.Period{Span: score.Quarterly, Start: oct}), "2026 Q4"},
		{Period(score.Period{Span: score.Annual, Start: ledger.MonthOf(2026, 1)}), "2026"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for s, want := range map[int64]string{
		0: "0 days", 86400: "1 day", 3 * 86400: "3 days", 29: "0 minutes", 30: "1 minute", 59 * 60: "59 minutes",
		3600: "1 hour", 5400: "2 hours", 47 * 3600: "47 hours", 2*86400 + 3600: "2.0 days", 2*86400 + 4320: "2.1 days",
		9*86400 + 82080: "10.0 days", 10*86400 + 1: "10 days", 12*86400 + 43200: "13 days", -7200: "−2 hours",
	} {
		if got := Duration(s); got != want {
			t.Errorf("Duration(%d) = %q, want %q", s, got, want)
		}
	}
}

func TestChange(t *testing.T) {
	for _, c := range []struct {
		now, before int
		want        string
	}{
		{0, 0, "–"}, {5, 0, "new"}, {0, 5, "−100%"}, {114, 100, "+14%"}, {80, 100, "−20%"}, {1001, 1000, "±0%"},
		{3, 2, "+50%"}, {1, 8, "−88%"}, // 87.5 rounds away from zero
	} {
		if got := Change(c.now, c.before); got != c.want {
			t.Errorf("Change(%d, %d) = %q, want %q", c.now, c.before, got, c.want)
		}
	}
}
