package ledger

import "testing"

func TestPeriodOn(t *testing.T) {
	d := MustDate
	period := func(from string, weight int) ScoringPeriod {
		return ScoringPeriod{From: d(from), Kinds: map[string]KindRule{"review": {Weight: weight}}}
	}
	ordered := []ScoringPeriod{period("2025-01-01", 1), period("2025-07-01", 2), period("2026-01-01", 3)}
	cases := []struct {
		name    string
		periods []ScoringPeriod
		on      string
		want    int // the weight of review in the period found; 0 for none
	}{
		{"before the first period", ordered, "2024-12-31", 0},
		{"on the first from", ordered, "2025-01-01", 1},
		{"between two periods", ordered, "2025-06-30", 1},
		{"on a later from", ordered, "2025-07-01", 2},
		{"after the last period", ordered, "2030-01-01", 3},
		// Out of order (a validation finding): the latest from still wins.
		{"unordered, between", []ScoringPeriod{ordered[2], ordered[0], ordered[1]}, "2025-08-01", 2},
		{"unordered, after the last", []ScoringPeriod{ordered[2], ordered[0], ordered[1]}, "2026-02-01", 3},
		// The same from twice (a validation finding): the one written last.
		{"equal from dates", []ScoringPeriod{period("2025-01-01", 1), period("2025-01-01", 4)}, "2025-03-01", 4},
		{"no periods", nil, "2025-03-01", 0},
	}
	for _, c := range cases {
		p := &Program{Scoring: c.periods}
		got := 0
		if sp := p.PeriodOn(d(c.on)); sp != nil {
			got = sp.Kinds["review"].Weight
		}
		if got != c.want {
			t.Errorf("%s: PeriodOn(%s) has weight %d, want %d", c.name, c.on, got, c.want)
		}
		rule, ok := p.KindOn("review", d(c.on))
		if ok != (c.want != 0) || rule.Weight != c.want {
			t.Errorf("%s: KindOn(review, %s) = %+v, %v", c.name, c.on, rule, ok)
		}
	}
	var none *Program
	if none.PeriodOn(d("2025-01-01")) != nil {
		t.Error("a ledger without program.yaml has a scoring period")
	}
	if _, ok := (&Program{Scoring: ordered}).KindOn("talk", d("2025-03-01")); ok {
		t.Error("KindOn found a kind the period does not define")
	}
}
