package action

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// followUpLedger is a program with a partner of each kind the follow-up
// names, as of October 2026: its score and whether it paid, by month
// (January to October).
func followUpLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	fsys := fstest.MapFS{
		"program.yaml": {Data: []byte(`name: Test
leadership: [alice]
contacts: {partners: [alice, carol]}
scoring:
  - from: 2025-01-01
    kinds: {pull_request: {weight: 1}}
partners:
  standing: {grace_months: 2, lapse_months: 3}
`)},
		"people/alice.yaml": {Data: []byte("name: Alice\nidentities: {github: AliceGH}\n")},
		"people/carol.yaml": {Data: []byte("name: Carol\nidentities: {slack: U01}\n")},
	}
	type org struct {
		id     string
		scores [10]int
		unpaid []int // months without payment
	}
	orgs := []org{
		{"falling", [10]int{20, 20, 20, 20, 20, 20, 20, 20, 40, 15}, nil},
		{"warned", [10]int{20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, []int{10}},
		{"lapsed", [10]int{20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, []int{8, 9, 10}},
		{"recovering", [10]int{20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, []int{9}},
		{"steady", [10]int{20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, nil},
	}
	credits := map[int]*strings.Builder{}
	payments := map[int]*strings.Builder{}
	for m := 1; m <= 10; m++ {
		credits[m], payments[m] = &strings.Builder{}, &strings.Builder{}
		credits[m].WriteString("credits:\n")
		payments[m].WriteString("payments:\n")
	}
	add := func(m int, who, id string) {
		fmt.Fprintf(credits[m], "  - {id: %q, who: %s, kind: pull_request, date: 2026-%02d-10}\n", id, who, m)
	}
	for _, o := range orgs {
		fsys["organizations/"+o.id+".yaml"] = &fstest.MapFile{Data: []byte("name: " + strings.ToUpper(o.id[:1]) + o.id[1:] + " Ltd\ncountry: US\n")}
		fsys["people/w-"+o.id+".yaml"] = &fstest.MapFile{Data: []byte("name: Worker\nidentities: {github: w-" + o.id + "}\naffiliations: [{org: " + o.id + ", from: 2025-01-01}]\n")}
		fsys["applications/"+o.id+"/2025-11-03.yaml"] = &fstest.MapFile{Data: []byte("submitted: 2025-11-03\ncontact: github:w-" + o.id + "\ndecision: {outcome: approved, date: 2025-11-20, by: [alice], override: A founding partner.}\n")}
		for m := 1; m <= 10; m++ {
			for i := range o.scores[m-1] {
				add(m, "w-"+o.id, fmt.Sprintf("c:%s-%d-%d", o.id, m, i))
			}
			if !containsInt(o.unpaid, m) {
				fmt.Fprintf(payments[m], "  - {id: \"p:%s-%d\", org: %s, amount: \"100.00\", currency: USD, date: 2026-%02d-05, source: test}\n", o.id, m, o.id, m)
			}
		}
	}
	// Quiet: every month from May to July, none since; back: in February
	// and October; hidden people are never named.
	for _, p := range []struct {
		id, visibility string
		months         []int
	}{{"quinn", "public", []int{5, 6, 7}}, {"bea", "public", []int{2, 10}}, {"hal", "hidden", []int{5, 6, 7}}, {"ron", "public", []int{6, 7, 8}}} {
		fsys["people/"+p.id+".yaml"] = &fstest.MapFile{Data: []byte("name: " + strings.ToUpper(p.id[:1]) + p.id[1:] + " Example\nidentities: {github: " + p.id + "}\nvisibility: " + p.visibility + "\n")}
		for _, m := range p.months {
			add(m, p.id, fmt.Sprintf("c:%s-%d", p.id, m))
		}
	}
	for m := 1; m <= 10; m++ {
		fsys[fmt.Sprintf("credits/2026/%02d/test.yaml", m)] = &fstest.MapFile{Data: []byte(credits[m].String())}
		fsys[fmt.Sprintf("funding/2026/%02d/test.yaml", m)] = &fstest.MapFile{Data: []byte(payments[m].String())}
	}
	l, findings, err := ledger.LoadFS(fsys, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if findings = append(findings, check.Run(l)...); len(findings) > 0 {
		t.Fatalf("the fixture has findings: %v", findings)
	}
	return l
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

var update = flag.Bool("update", false, "rewrite testdata/followup.md")

// The follow-up names each partner once, in its section, with its last
// three months and what it needs; the contacts are mentioned, the people
// who went quiet or came back are named (the hidden never).
func TestFollowUp(t *testing.T) {
	f := newFollowUp(score.New(followUpLedger(t)), ledger.MonthOf(2026, 10))
	got := f.markdown("the reports of #1")
	const golden = "testdata/followup.md"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := string(mustRead(t, golden)); got != want {
		t.Errorf("the follow-up (go test -update rewrites %s):\n%s", golden, got)
	}

	// Two months on, with no credits or payments since: those that missed
	// October too have lapsed, the others are in warning.
	later := newFollowUp(score.New(followUpLedger(t)), ledger.MonthOf(2026, 12))
	if len(later.Lapsed) != 2 || len(later.Warning) != 3 || len(later.Declined)+len(later.Recovering) != 0 {
		t.Errorf("December: %d lapsed, %d in warning, %d fallen, %d recovering; want 2, 3, 0, 0", len(later.Lapsed), len(later.Warning), len(later.Declined), len(later.Recovering))
	}
}

// With no one to follow up, the body says so (for an issue already open).
func TestFollowUpEmpty(t *testing.T) {
	f := newFollowUp(score.New(followUpLedger(t)), ledger.MonthOf(2025, 10))
	if !f.empty() {
		t.Fatalf("October 2025 has %+v", f)
	}
	if got := f.markdown(""); got != "<!-- tally:follow-up 2025-10 -->\nNothing to follow up after October 2025 any more: every partner keeps up, and no one went quiet or came back.\n" {
		t.Errorf("body = %q", got)
	}
}
