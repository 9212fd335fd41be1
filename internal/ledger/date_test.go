package ledger

import "testing"

func TestAddDays(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{{"2026-03-01", -1, "2026-02-28"}, {"2024-03-01", -1, "2024-02-29"}, {"2025-12-31", 1, "2026-01-01"}, {"2026-01-15", 0, "2026-01-15"}} {
		if got := MustDate(c.from).AddDays(c.n); got != MustDate(c.want) {
			t.Errorf("%s + %d days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}
