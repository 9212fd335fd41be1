package health

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

func TestNearestRank(t *testing.T) {
	for _, c := range []struct {
		values      []int64
		median, p90 int64
	}{
		{[]int64{7}, 7, 7},
		{[]int64{1, 2}, 1, 2},       // ranks ceil(1) = 1 and ceil(1.8) = 2
		{[]int64{3, 1, 2}, 2, 3},    // ranks 2 and 3
		{[]int64{4, 3, 2, 1}, 2, 4}, // the lower middle; ceil(3.6) = 4
		{[]int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 50, 90}, // ranks 5 and 9
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 6, 10},        // ranks 6 and ceil(9.9) = 10
	} {
		d := Summarise(slices.Clone(c.values))
		if d.Count != len(c.values) || d.Median != c.median || d.P90 != c.p90 {
			t.Errorf("%v: got %+v, want median %d, p90 %d", c.values, d, c.median, c.p90)
		}
	}
	if d := Summarise(nil); d != (Durations{}) {
		t.Errorf("nothing measured: %+v", d)
	}
	var n []int64
	for i := int64(1); i <= 100; i++ {
		n = append(n, i)
	}
	for p := 1; p <= 100; p++ {
		if got := NearestRank(n, p); got != int64(p) {
			t.Errorf("percentile %d of 1..100 is %d", p, got)
		}
	}
}

func TestTimesJSON(t *testing.T) {
	times := Times{Merge: {Count: 2, Median: 60, P90: 3600}}
	got, err := json.Marshal(times)
	want := `{"time_to_first_review":{"count":0,"median_seconds":null,"p90_seconds":null},` +
		`"time_to_merge":{"count":2,"median_seconds":60,"p90_seconds":3600},` +
		`"time_to_close":{"count":0,"median_seconds":null,"p90_seconds":null},` +
		`"time_to_answer":{"count":0,"median_seconds":null,"p90_seconds":null}}`
	if err != nil || string(got) != want {
		t.Errorf("got %s (%v)\nwant %s", got, err, want)
	}
	// Indented, as encoding/json indents it.
	indented, err := json.MarshalIndent(struct {
		T Times `json:"t"`
	}{times}, "  ", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if got := "{\n    \"t\": " + string(times.AppendJSON(nil, "    ")) + "\n  }"; got != string(indented) {
		t.Errorf("got\n%s\nwant\n%s", got, indented)
	}
}

func TestSeconds(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	at := func(s string) Instant {
		i, ok := ParseInstant(s, berlin)
		if !ok {
			t.Fatalf("%q does not parse", s)
		}
		return i
	}
	for _, c := range []struct {
		from, to string
		want     int64
	}{
		{"2026-09-30T10:00:00Z", "2026-09-30T12:30:00Z", 9000},
		{"2026-09-30T10:00:00Z", "2026-10-02", 2 * day}, // a date: whole days
		{"2026-09-30T23:30:00Z", "2026-10-01", 0},       // already 1 October in Berlin
		{"2026-09-30", "2026-09-30T22:00:00Z", 1 * day}, // midnight in Berlin: the next day
		{"2026-02-27", "2026-03-02", 3 * day},
	} {
		if got := Seconds(at(c.from), at(c.to)); got != c.want {
			t.Errorf("%s to %s: %d s, want %d", c.from, c.to, got, c.want)
		}
	}
	for _, bad := range []string{"", "2026-13-01", "yesterday", "2026-09-30 10:00"} {
		if _, ok := ParseInstant(bad, time.UTC); ok {
			t.Errorf("%q parses", bad)
		}
	}
}

func TestLayers(t *testing.T) {
	for _, c := range []struct {
		scores                []int32
		core, regular, casual int
	}{
		{[]int32{80, 15, 5}, 1, 1, 1},
		{[]int32{50, 50}, 2, 0, 0},
		{[]int32{0, 0, 0}, 0, 0, 3},
		{[]int32{1, 79, 10, 10}, 2, 1, 1}, // 79+10 reach 80% of 100; the next 10 reach 99
		{nil, 0, 0, 0},
	} {
		core, regular, casual := Layers(slices.Clone(c.scores))
		if core != c.core || regular != c.regular || casual != c.casual {
			t.Errorf("%v: %d/%d/%d, want %d/%d/%d", c.scores, core, regular, casual, c.core, c.regular, c.casual)
		}
	}
}

// credit is a credit for the tests' small ledgers.
func credit(id, who, kind, date, project string, facts ...string) ledger.Credit {
	c := ledger.Credit{ID: id, Who: who, Kind: kind, Date: ledger.MustDate(date), Project: project, URL: "https://example.org/" + id}
	for i := 0; i+1 < len(facts); i += 2 {
		c.Facts = append(c.Facts, ledger.Fact{Key: facts[i], Value: facts[i+1]})
	}
	slices.SortFunc(c.Facts, func(a, b ledger.Fact) int {
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return c
}

func book(credits []ledger.Credit, people ...*ledger.Person) *score.Book {
	kinds := map[string]ledger.KindRule{}
	for _, k := range []string{"pull_request", "review", "issue", "release", "forum_solution", "comment", "talk"} {
		kinds[k] = ledger.KindRule{Weight: 2}
	}
	l := &ledger.Ledger{
		Program: &ledger.Program{Name: "Test", Timezone: "UTC", Scoring: []ledger.ScoringPeriod{{From: ledger.MustDate("2020-01-01"), Kinds: kinds}}},
		People:  people,
		Credits: credits,
	}
	return score.New(l)
}

func TestMeasure(t *testing.T) {
	bot := &ledger.Person{ID: "renovate", Bot: true, Identities: []ledger.Identity{{Platform: "github", Handle: "renovate-bot"}}}
	acme := &ledger.Person{ID: "ada", Identities: []ledger.Identity{{Platform: "github", Handle: "ada-gh"}},
		Affiliations: []ledger.Affiliation{{Org: ledger.Ref{ID: "acme"}, From: ledger.MustDate("2020-01-01")}}}
	b := book([]ledger.Credit{
		// Merged after 2 hours (both times exact); first reviewed the
		// next day (a review credit has only its date).
		credit("github:x/a#1", "github:ada-gh", "pull_request", "2026-10-02", "x/a", "opened", "2026-10-01T08:00:00Z", "merged", "2026-10-01T10:00:00Z"),
		credit("github:x/a#1/review/bob", "github:bob", "review", "2026-10-02", "x/a"),
		credit("github:x/a#1/review/cy", "github:cy", "review", "2026-10-05", "x/a"),
		// Merged on its credit's date, 3 days after it opened; its
		// first review is a fact.
		credit("github:x/b#2", "github:bob", "pull_request", "2026-10-04", "x/b", "opened", "2026-10-01T00:00:00Z", "first_review", "2026-10-01T12:00:00Z"),
		// No opened: not measured.
		credit("github:x/b#3", "github:bob", "pull_request", "2026-10-04", "x/b"),
		// A bot's pull request and review: not measured.
		credit("github:x/a#4", "github:renovate-bot", "pull_request", "2026-10-04", "x/a", "opened", "2026-10-01"),
		credit("github:x/b#3/review/renovate", "github:renovate-bot", "review", "2026-10-04", "x/b"),
		// One issue credited to two assignees: measured once.
		credit("github:x/a#9/issue/bob", "github:bob", "issue", "2026-10-11", "x/a", "opened", "2026-10-01"),
		{ID: "github:x/a#9/issue/cy", Who: "github:cy", Kind: "issue", Date: ledger.MustDate("2026-10-11"), Project: "x/a",
			URL: "https://example.org/github:x/a#9/issue/bob", Facts: []ledger.Fact{{Key: "opened", Value: "2026-10-01"}}},
		// An answer, with no project.
		credit("discourse:post/1", "discourse:eve", "forum_solution", "2026-10-20", "", "opened", "2026-10-19T20:00:00Z", "answered", "2026-10-20T08:00:00Z"),
		// Measured in November.
		credit("github:x/a#5", "github:ada-gh", "pull_request", "2026-11-03", "x/a", "opened", "2026-10-30"),
		credit("github:x/a#r1", "github:ada-gh", "release", "2026-10-15", "x/a"),
		credit("github:x/a#r2", "github:ada-gh", "release", "2026-11-15", "x/a"),
	}, bot, acme)
	h := New(b)
	oct := ledger.MonthOf(2026, 10)
	s := h.Section(oct, oct)
	want := Times{
		FirstReview: {Count: 2, Median: 12 * 3600, P90: day}, // 12 h, and a day (a review credit's date: whole days)
		Merge:       {Count: 2, Median: 2 * 3600, P90: 3 * day},
		Close:       {Count: 1, Median: 10 * day, P90: 10 * day},
		Answer:      {Count: 1, Median: 12 * 3600, P90: 12 * 3600},
	}
	if s.Times != want {
		t.Errorf("October:\n got %+v\nwant %+v", s.Times, want)
	}
	if s.Releases != 1 {
		t.Errorf("October has %d releases", s.Releases)
	}
	if len(s.Projects) != 2 || s.Projects[0].Project != "x/a" || s.Projects[1].Project != "x/b" {
		t.Fatalf("projects %+v", s.Projects)
	}
	if a := s.Projects[0]; a.Times[Merge] != (Durations{Count: 1, Median: 2 * 3600, P90: 2 * 3600}) || a.Releases != 1 || a.Times[Answer].Count != 0 {
		t.Errorf("x/a: %+v", a)
	}
	if nov := h.Section(oct+1, oct+1); nov.Times[Merge] != (Durations{Count: 1, Median: 4 * day, P90: 4 * day}) || nov.Times[FirstReview].Count != 0 {
		t.Errorf("November: %+v", nov.Times)
	}
	// Acme's own view: Ada's pull requests and releases.
	v := h.Organizations(oct+1, []string{"acme"})[0]
	if v.Recent != (OrgTotals{Score: 8, Credits: 4, People: 1}) || len(v.People) != 1 || v.People[0].Credits != 4 {
		t.Errorf("acme: %+v", v)
	}
	if v.Times[Merge].Count != 2 || v.Times[FirstReview].Count != 1 {
		t.Errorf("acme's times: %+v", v.Times)
	}
	if len(v.Projects) != 1 || v.Projects[0] != (OrgProject{Project: "x/a", OrgTotals: OrgTotals{Score: 8, Credits: 4, People: 1}, ProjectCredits: 8}) {
		t.Errorf("acme's projects: %+v", v.Projects)
	}
}
