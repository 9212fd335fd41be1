package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// bundled is a repository with the bundled ledger committed.
var bundled = gittest.NewTemplate(func(r *gittest.Repo) {
	r.CopyDir("../../ledger", "ledger")
	r.Commit("the bundled ledger")
})

// ledgerRepo is a copy of bundled for one test.
func ledgerRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	t.Parallel()
	return bundled.Copy(t)
}

func TestMain(m *testing.M) {
	code := m.Run()
	bundled.Remove()
	os.Exit(code)
}

func run(t *testing.T, r *gittest.Repo, base, head string) *Result {
	t.Helper()
	res, err := Run(context.Background(), Options{Dir: r.Path("ledger"), Base: base, Head: head})
	if err != nil {
		t.Fatal(err)
	}
	// The partial comparison must find what comparing everything finds.
	full, err := Run(context.Background(), Options{Dir: r.Path("ledger"), Base: base, Head: head, full: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := core(res), core(full); !reflect.DeepEqual(got, want) {
		t.Errorf("the partial comparison differs from the full one\n--- partial\n%s\n--- full\n%s", got, want)
	}
	return res
}

// core is a result without what only a full comparison knows (the change
// since the previous period of a changed period).
func core(r *Result) string {
	var b strings.Builder
	for _, p := range r.Periods {
		for _, list := range [][]Move{p.People, p.Organizations} {
			for _, m := range list {
				if m.Score.Before == m.Score.After && m.Credits.Before == m.Credits.After && m.Rank.same() {
					continue // a row only the change since the period before moves
				}
				m.DeltaScore, m.DeltaRank, m.sinceMoves = nil, nil, false
				j, _ := json.Marshal(m)
				b.WriteString(p.Period + " " + string(j) + "\n")
			}
		}
	}
	return b.String()
}

func period(t *testing.T, res *Result, name string) PeriodChange {
	t.Helper()
	for _, p := range res.Periods {
		if p.Period == name {
			return p
		}
	}
	t.Fatalf("period %s does not move; moving: %v", name, periodNames(res))
	return PeriodChange{}
}

func periodNames(res *Result) []string {
	var names []string
	for _, p := range res.Periods {
		names = append(names, p.Period)
	}
	return names
}

func row(t *testing.T, moves []Move, name string) Move {
	t.Helper()
	for _, m := range moves {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("%s does not move: %+v", name, moves)
	return Move{}
}

const addedCredit = `  - id: discourse:post/99999
    who: discourse:camille
    kind: forum_solution
    date: 2026-09-20
    url: https://forum.lumen.example/t/x/1/1
    title: A new answer
`

func TestCreditAdded(t *testing.T) {
	r := ledgerRepo(t)
	shard := "ledger/credits/2026/09/discourse.yaml"
	r.Write(shard, r.Read(shard)+addedCredit)
	res := run(t, r, "HEAD", "")
	if !res.Partial || res.Files != 1 || res.Head != "" {
		t.Errorf("partial %v, %d files, head %q; want a partial comparison of 1 file with the work tree", res.Partial, res.Files, res.Head)
	}
	want := []string{"2026-09", "2026-10", "2026-Q3", "2026-Q4", "2026"}
	if got := periodNames(res); !reflect.DeepEqual(got, want) {
		t.Errorf("periods %v, want %v", got, want)
	}
	for _, p := range []string{"2026-09", "2026-Q3", "2026"} {
		m := row(t, period(t, res, p).People, "Camille Roux")
		if m.Score.After-m.Score.Before != 2 || m.Credits.After-m.Credits.Before != 1 {
			t.Errorf("%s: Camille %+v, want 2 points and 1 credit more", p, m)
		}
		o := row(t, period(t, res, p).Organizations, "Kieselstein Software GmbH")
		if o.Score.After-o.Score.Before != 2 {
			t.Errorf("%s: Kieselstein %+v, want 2 points more", p, o)
		}
	}
	// The month after: only Camille's change since September moves.
	m := row(t, period(t, res, "2026-10").People, "Camille Roux")
	if m.Score.Before != m.Score.After || m.DeltaScore == nil || *m.DeltaScore.Before-*m.DeltaScore.After != 2 {
		t.Errorf("2026-10: Camille %+v, want the same score and 2 points less since September", m)
	}
	wantChanges := []RecordChange{{Path: "credits/2026/09/discourse.yaml", Record: "credit", ID: "discourse:post/99999", Change: "added"}}
	if !reflect.DeepEqual(res.Changes, wantChanges) {
		t.Errorf("changes %+v, want %+v", res.Changes, wantChanges)
	}
}

func TestCreditRemoved(t *testing.T) {
	r := ledgerRepo(t)
	shard := "ledger/credits/2026/10/github.yaml"
	r.Replace(shard, `  - id: github:lumen/helm-chart#673/issue/noahfischer
    who: github:noahfischer
    kind: issue
    date: 2026-10-01
    url: https://github.com/lumen/helm-chart/issues/673
    title: Chart fails without HPA settings
    project: lumen/helm-chart
    facts: {opened: 2026-09-05T00:47:00Z}
`, "")
	head := r.Commit("remove a credit")
	res := run(t, r, "HEAD~1", "HEAD")
	if res.Head != head {
		t.Errorf("head %s, want %s", res.Head, head)
	}
	m := row(t, period(t, res, "2026-10").People, "Noah Fischer")
	if m.Score.After-m.Score.Before != -1 || m.Credits.After-m.Credits.Before != -1 {
		t.Errorf("Noah %+v, want a point and a credit less", m)
	}
	want := []RecordChange{{Path: "credits/2026/10/github.yaml", Record: "credit", ID: "github:lumen/helm-chart#673/issue/noahfischer", Change: "removed"}}
	if !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
}

func TestCreditEdited(t *testing.T) {
	r := ledgerRepo(t)
	shard := "ledger/credits/2026/10/github.yaml"
	r.Replace(shard, `    who: github:noahfischer
    kind: issue`, `    who: github:noahfischer
    kind: pull_request`)
	res := run(t, r, "HEAD", "")
	m := row(t, period(t, res, "2026-10").People, "Noah Fischer")
	if m.Score.After-m.Score.Before != 1 || m.Credits.Before != m.Credits.After {
		t.Errorf("Noah %+v, want 1 point more (in lumen/helm-chart, which counts half since September 2026, an issue weighs 1, a pull request 2) and as many credits", m)
	}
	want := []RecordChange{{Path: "credits/2026/10/github.yaml", Record: "credit", ID: "github:lumen/helm-chart#673/issue/noahfischer", Change: "edited",
		Fields: []FieldChange{{Field: "kind", Before: "issue", After: "pull_request"}}}}
	if !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
}

func TestAffiliationEdited(t *testing.T) {
	r := ledgerRepo(t)
	r.Replace("ledger/people/camille-roux.yaml", "{org: atelier-cobalt, from: 2022-09-01, until: 2026-07-15}\n  - {org: kieselstein, from: 2026-07-15}",
		"{org: atelier-cobalt, from: 2022-09-01, until: 2026-08-01}\n  - {org: kieselstein, from: 2026-08-01}")
	res := run(t, r, "HEAD", "")
	if res.Partial {
		t.Error("a person's change was compared in part; it can move any period")
	}
	july := period(t, res, "2026-07")
	if len(july.People) != 0 {
		t.Errorf("people move in July: %+v", july.People)
	}
	k, a := row(t, july.Organizations, "Kieselstein Software GmbH"), row(t, july.Organizations, "Atelier Cobalt")
	if d := k.Score.After - k.Score.Before; d >= 0 || a.Score.After-a.Score.Before != -d {
		t.Errorf("July: Kieselstein %+v, Atelier Cobalt %+v; want points to pass from the first to the second", k, a)
	}
	want := []RecordChange{{Path: "people/camille-roux.yaml", Record: "person", Change: "edited", Fields: []FieldChange{{Field: "affiliations"}}}}
	if !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
}

// Anonymous people move without their id; hidden ones only through their
// organisation.
func TestAnonymousAndHidden(t *testing.T) {
	r := ledgerRepo(t)
	shard := "ledger/credits/2026/09/manual.yaml"
	r.Write(shard, r.Read(shard)+`  - id: manual:2026-09/elena-talk
    who: elena-popescu
    kind: talk
    date: 2026-09-10
    url: https://example.com/elena
  - id: manual:2026-09/anja-talk
    who: anja-keller
    kind: talk
    date: 2026-09-11
    url: https://example.com/anja
`)
	res := run(t, r, "HEAD", "")
	sept := period(t, res, "2026-09")
	m := row(t, sept.People, anonymous)
	if m.ID != "" || m.Score.After-m.Score.Before != 5 {
		t.Errorf("the anonymous person moves as %+v", m)
	}
	for _, m := range sept.People {
		if m.Name == "Anja Keller" || m.ID == "anja-keller" {
			t.Errorf("a hidden person is listed: %+v", m)
		}
	}
	row(t, sept.Organizations, "Kieselstein Software GmbH") // Anja's talk counts for her organisation
	var md, js bytes.Buffer
	res.Markdown(&md)
	json.NewEncoder(&js).Encode(res)
	for _, out := range []string{md.String(), js.String()} {
		for _, secret := range []string{"elena-popescu", "epopescu", "Elena", "anja-keller", "Anja", "akeller"} {
			if strings.Contains(out, secret) {
				t.Errorf("the output names %q:\n%s", secret, out)
			}
		}
	}
}

// An erased person (tally forget) moves as an anonymous contributor too,
// never by the anonymous id.
func TestForgottenMovesAnonymously(t *testing.T) {
	r := ledgerRepo(t)
	shard := "ledger/credits/2026/09/manual.yaml"
	r.Write(shard, r.Read(shard)+`  - id: manual:2026-09/erased-talk
    who: anonymous:0a1b2c3d4e5f
    org: kieselstein
    kind: talk
    date: 2026-09-10
    url: https://example.com/erased
`)
	res := run(t, r, "HEAD", "")
	m := row(t, period(t, res, "2026-09").People, anonymous)
	if m.ID != "" || m.Score.After-m.Score.Before != 5 {
		t.Errorf("the erased person moves as %+v", m)
	}
	var md, js bytes.Buffer
	res.Markdown(&md)
	json.NewEncoder(&js).Encode(res)
	if out := md.String() + js.String(); strings.Contains(out, "0a1b2c3d4e5f") {
		t.Errorf("the output shows the anonymous id:\n%s", out)
	}
}

func TestClaimAdded(t *testing.T) {
	r := ledgerRepo(t)
	r.Write("ledger/claims/talk/2026/lumen-at-devconf.yaml", `who: camille-roux
date: 2026-06-10
evidence: https://devconf.example/2026/lumen
title: Lumen at DevConf
`)
	res := run(t, r, "HEAD", "")
	if !res.Partial {
		t.Error("a claim was compared in full")
	}
	m := row(t, period(t, res, "2026-06").People, "Camille Roux")
	if m.Score.After-m.Score.Before != 5 {
		t.Errorf("Camille %+v, want a talk's 5 points more", m)
	}
	period(t, res, "2026-07") // the change since June
	period(t, res, "2026-Q2")
	want := []RecordChange{{Path: "claims/talk/2026/lumen-at-devconf.yaml", Record: "credit", ID: "claim:talk/2026/lumen-at-devconf", Change: "added"}}
	if !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
}

// A credit moved to another shard of its month moves no score.
func TestCreditMoved(t *testing.T) {
	r := ledgerRepo(t)
	from, to := "ledger/credits/2026/10/github.yaml", "ledger/credits/2026/10/manual.yaml"
	credit := `  - id: github:lumen/helm-chart#673/issue/noahfischer
    who: github:noahfischer
    kind: issue
    date: 2026-10-01
    url: https://github.com/lumen/helm-chart/issues/673
    title: Chart fails without HPA settings
    project: lumen/helm-chart
    facts: {opened: 2026-09-05T00:47:00Z}
`
	r.Replace(from, credit, "")
	r.Write(to, r.Read(to)+strings.Replace(credit, "kind: issue", "kind: review", 1))
	res := run(t, r, "HEAD", "")
	want := []RecordChange{{Path: "credits/2026/10/manual.yaml", Record: "credit", ID: "github:lumen/helm-chart#673/issue/noahfischer",
		Change: "moved", From: "credits/2026/10/github.yaml", Fields: []FieldChange{{Field: "kind", Before: "issue", After: "review"}}}}
	if !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
	row(t, period(t, res, "2026-10").People, "Noah Fischer")
}

func TestOnlyNotes(t *testing.T) {
	r := ledgerRepo(t)
	r.Write("ledger/notes/2026-09.md", "A quiet month.\n")
	res := run(t, r, "HEAD", "")
	want := []RecordChange{{Path: "notes/2026-09.md", Record: "note", Change: "added"}}
	if len(res.Periods) != 0 || !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("periods %v, changes %+v; want none and %+v", periodNames(res), res.Changes, want)
	}
}

func TestNoChange(t *testing.T) {
	r := ledgerRepo(t)
	r.Write("README.md", "outside the ledger\n")
	res := run(t, r, "HEAD", "")
	if res.Files != 0 || len(res.Periods) != 0 || len(res.Changes) != 0 {
		t.Errorf("an unchanged ledger: %+v", res)
	}
}

// A broken changed file is reported, and what it held counts as removed.
func TestBrokenFile(t *testing.T) {
	r := ledgerRepo(t)
	r.Write("ledger/credits/2026/10/manual.yaml", "credits: [\n")
	res := run(t, r, "HEAD", "")
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "at the work tree: credits/2026/10/manual.yaml:") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// The change that creates the ledger compares it with nothing.
func TestNewLedger(t *testing.T) {
	r := gittest.New(t)
	r.Write("README.md", "soon a ledger\n")
	r.Commit("empty")
	r.CopyDir("../../ledger", "ledger")
	res, err := Run(context.Background(), Options{Dir: r.Path("ledger"), Base: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Partial || len(res.Periods) == 0 {
		t.Errorf("partial %v, %d periods", res.Partial, len(res.Periods))
	}
	m := row(t, period(t, res, "2026-10").People, "Noah Fischer")
	if m.Rank.Before != nil || m.Rank.After == nil {
		t.Errorf("Noah %+v, want newly ranked", m)
	}
}

func TestErrors(t *testing.T) {
	r := ledgerRepo(t)
	_, err := Run(context.Background(), Options{Dir: r.Path("ledger"), Base: "no-such-branch"})
	var unknown *gitrev.UnknownRevisionError
	if !errors.As(err, &unknown) {
		t.Errorf("an unknown base: %v", err)
	}
	_, err = Run(context.Background(), Options{Dir: r.Path("ledger"), Base: "HEAD", Head: "HEAD~9"})
	if !errors.As(err, &unknown) || unknown.Rev != "HEAD~9" {
		t.Errorf("an unknown head: %v", err)
	}
	dir := t.TempDir()
	_, err = Run(context.Background(), Options{Dir: dir, Base: "HEAD"})
	var notRepo *gitrev.NotRepoError
	if !errors.As(err, &notRepo) {
		t.Errorf("a folder outside git: %v", err)
	}
}

// Changes that enter no ranking compare no period, and cost no credits.
func TestNothingRanked(t *testing.T) {
	r := ledgerRepo(t)
	r.Replace("ledger/people/camille-roux.yaml", "name: Camille Roux", "name: Camille Roux-Martin")
	r.Replace("ledger/organizations/kieselstein.yaml", "country: ", "# a comment\ncountry: ")
	r.Replace("ledger/program.yaml", "  top: ", "  top: 1")
	funding := "ledger/funding/2026/10/opencollective.yaml"
	r.Write(funding, r.Read(funding)+`  - {id: opencollective:test-1, org: kieselstein, amount: "10.00", currency: EUR, date: 2026-10-20, source: opencollective}
`)
	res := run(t, r, "HEAD", "")
	if !res.Partial || len(res.Periods) != 0 {
		t.Errorf("partial %v, periods %v; want a partial comparison where nothing moves", res.Partial, periodNames(res))
	}
	want := []RecordChange{
		{Path: "funding/2026/10/opencollective.yaml", Record: "payment", ID: "opencollective:test-1", Change: "added"},
		{Path: "people/camille-roux.yaml", Record: "person", Change: "edited", Fields: []FieldChange{{Field: "name"}}},
		{Path: "program.yaml", Record: "program", Change: "edited", Fields: []FieldChange{{Field: "reports"}}},
	}
	if !reflect.DeepEqual(res.Changes, want) {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
}

// A new person can own identities that credits already name: every period
// is compared.
func TestPersonAdded(t *testing.T) {
	r := ledgerRepo(t)
	r.Write("ledger/people/drive-by.yaml", "name: Drive By\nidentities: {github: bravekoala45}\n")
	res := run(t, r, "HEAD", "")
	if res.Partial {
		t.Error("a new person was compared in part")
	}
	found := false
	for _, p := range res.Periods {
		for _, m := range p.People {
			found = found || m.Name == "Drive By"
		}
	}
	if !found {
		t.Errorf("the identity's credits do not move to the new person: %v", periodNames(res))
	}
}

// A change to the scoring rules compares every period under both
// programs: who moves, and what in the rules changed.
func TestScoringRulesChanged(t *testing.T) {
	r := ledgerRepo(t)
	// From October 2026 a pull request touching only Markdown files weighs 1, and a review 2.
	// The kinds of the last period, from October 2026.
	program := r.Read("ledger/program.yaml")
	last := program[strings.LastIndex(program, "  - from: "):]
	kinds := last[strings.Index(last, "    kinds:"):strings.Index(last, "    rules:")]
	next := "  - from: 2026-10-01\n" + strings.Replace(kinds, "review:               {weight: 3, cap: 30}", "review:               {weight: 2, cap: 30}", 1) +
		"    rules:\n      - {kind: pull_request, when: {only_paths: [\"*.md\"]}, weight: 1}\n"
	r.Replace("ledger/program.yaml", "partners:", next+"partners:")
	// A credit's paths, so that the rule reads a fact some credit has.
	shard := "ledger/credits/2026/10/github.yaml"
	r.Replace(shard, "    url: https://github.com/lumen/docs/pull/1396\n", "    url: https://github.com/lumen/docs/pull/1396\n    facts: {additions: 1, deletions: 1, files: 1, paths: [docs/kubernetes.md]}\n")
	res := run(t, r, "HEAD", "")
	if res.Partial {
		t.Error("a rules change was compared in part")
	}
	if got, want := periodNames(res), []string{"2026-10", "2026-Q4", "2026"}; !reflect.DeepEqual(got, want) {
		t.Errorf("periods %v, want %v: the rules apply from their date only", got, want)
	}
	oct := period(t, res, "2026-10")
	moved := 0
	for _, m := range oct.People {
		if m.Score.After < m.Score.Before {
			moved++
		}
	}
	if moved == 0 || len(oct.Organizations) == 0 {
		t.Errorf("nobody's score fell in October:\n%+v", oct)
	}
	want := []FieldChange{{Field: "scoring[2026-10-01] (added)"}}
	for _, c := range res.Changes {
		if c.Path == "program.yaml" && !reflect.DeepEqual(c.Fields, want) {
			t.Errorf("program.yaml: %+v, want %+v", c.Fields, want)
		}
	}
	var md strings.Builder
	if err := res.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "- `program.yaml` edited: scoring\\[2026-10-01\\] (added)") {
		t.Errorf("the Markdown does not say what the rules change:\n%s", md.String())
	}

	// Editing the period then: a kind's weight, the rules, the points cap.
	r.Commit("new rules")
	program = r.Read("ledger/program.yaml")
	at := strings.Index(program, "  - from: 2026-10-01")
	edited := strings.NewReplacer("review:               {weight: 2, cap: 30}", "review:               {weight: 1, cap: 30}",
		`only_paths: ["*.md"]}, weight: 1}`+"\n", `only_paths: ["*.md"]}, weight: 0}`+"\n    points_cap: 30\n").Replace(program[at:])
	r.Write("ledger/program.yaml", program[:at]+edited)
	res = run(t, r, "HEAD", "")
	want = []FieldChange{
		{Field: "scoring[2026-10-01].kinds.review.weight", Before: "2", After: "1"},
		{Field: "scoring[2026-10-01].rules"},
		{Field: "scoring[2026-10-01].points_cap", Before: "", After: "30"},
	}
	if len(res.Changes) != 1 || !reflect.DeepEqual(res.Changes[0].Fields, want) {
		t.Errorf("changes %+v, want fields %+v", res.Changes, want)
	}
	if len(period(t, res, "2026-10").People) == 0 {
		t.Error("nobody moves")
	}
}
