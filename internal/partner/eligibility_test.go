package partner_test

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
)

// A small program: one kind worth 5 points, so two credits a month reach
// the minimum score of 10.
const testProgram = `name: Test Community
leadership: [lead]
scoring:
  - from: 2020-01-01
    kinds:
      pull_request: {weight: 5}
partners:
  practical: {months: 3, min_score: 10}
  financial: {months: 3}
  conduct: {months: 12}
  featured: 2
  standing: {grace_months: 2, lapse_months: 3}
  decline_alert: 0.5
  tiers:
    - {name: gold, min_score: 30, min_payment: "200"}
    - {name: bronze, min_score: 10}
`

const testThresholds = `source: test figures
base: {country: US, amount: "100", currency: USD}
minimums:
  GB: {usd: "115.70", local: "86.78", currency: GBP}
  US: {usd: "100.00", local: "100.00", currency: USD}
  NZ: {usd: "115.70", local: "86.77", currency: NZD}
euro_area: {usd: "115.26", local: "100.00", currency: EUR}
overrides:
  NG: {usd: "38.00", evidence: https://example.org/ng}
fallback_usd: "90"
rates:
  GBP: "0.75"
  EUR: "0.8676"
  NZD: "0.75"
`

// fixture is a ledger under construction: file path -> YAML.
type fixture map[string]string

func newFixture() fixture {
	return fixture{
		"program.yaml":     testProgram,
		"thresholds.yaml":  testThresholds,
		"people/lead.yaml": "name: Lead\nidentities: {github: lead-gh}\n",
	}
}

// org adds an organisation, a person working there and an approved
// application.
func (f fixture) org(id, country string, approved string) {
	f["organizations/"+id+".yaml"] = fmt.Sprintf("name: %s Ltd\ncountry: %s\n", strings.ToUpper(id[:1])+id[1:], country)
	f.person(id+"-dev", id, "2020-01-01")
	if approved != "" {
		f["applications/"+id+"/2020-01-01.yaml"] = fmt.Sprintf("submitted: 2020-01-01\ncontact: %s-dev\n"+
			"decision: {outcome: approved, date: %s, by: [lead], override: test}\n", id, approved)
	}
}

func (f fixture) person(id, org, from string) {
	f["people/"+id+".yaml"] = fmt.Sprintf("name: %s\nidentities: {github: %s}\naffiliations:\n  - {org: %s, from: %s}\n", id, id, org, from)
}

// credits adds n pull requests by who on a date.
func (f fixture) credits(who, date string, n int) {
	path := "credits/" + date[:4] + "/" + date[5:7] + "/github.yaml"
	if f[path] == "" {
		f[path] = "credits:\n"
	}
	for i := range n {
		f[path] += fmt.Sprintf("  - {id: \"github:x/y#%s-%s-%d\", who: %s, kind: pull_request, date: %s}\n", who, date, i, who, date)
	}
}

// monthly gives org two credits (score 10) and a payment in every month
// from..to (YYYY-MM).
func (f fixture) monthly(org, from, to, amount, currency string) {
	for m := mustMonth(from); m <= mustMonth(to); m++ {
		f.credits(org+"-dev", m.String()+"-10", 2)
		f.pay(org, m.String()+"-05", amount, currency)
	}
}

func (f fixture) pay(org, date, amount, currency string) {
	path := "funding/" + date[:4] + "/" + date[5:7] + "/opencollective.yaml"
	if f[path] == "" {
		f[path] = "payments:\n"
	}
	f[path] += fmt.Sprintf("  - {id: \"opencollective:%s-%s-%d\", org: %s, amount: %q, currency: %s, date: %s, source: opencollective}\n",
		org, date, strings.Count(f[path], "\n"), org, amount, currency, date)
}

func mustMonth(s string) ledger.Month {
	m, err := ledger.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

// book writes the fixture, loads it and scores it, failing on any finding:
// the rules are only ever applied to valid ledgers.
func (f fixture) book(t *testing.T) *score.Book {
	t.Helper()
	dir := t.TempDir()
	for path, content := range f {
		full := filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range append(findings, check.Run(l)...) {
		if fd.Rule != "privacy" { // old conduct records still count, as findings
			t.Fatal(fd)
		}
	}
	return score.New(l)
}

func evaluate(t *testing.T, f fixture, org, month string) *partner.Status {
	t.Helper()
	b := f.book(t)
	return partner.NewEvaluator(b).Evaluate(b.Index.Orgs[org], mustMonth(month))
}

func TestPaymentExactlyAtTheMinimumMeetsIt(t *testing.T) {
	f := newFixture()
	f.org("acme", "GB", "")
	f.monthly("acme", "2026-08", "2026-10", "115.70", "USD")
	st := evaluate(t, f, "acme", "2026-10")
	if !st.Financial.Met || !st.Eligible {
		t.Fatalf("115.70 of 115.70 should meet the minimum: %+v", st.Financial)
	}

	delete(f, "funding/2026/10/opencollective.yaml")
	f.pay("acme", "2026-10-05", "115.69", "USD")
	st = evaluate(t, f, "acme", "2026-10")
	if st.Financial.Met || st.Financial.Months[2].Met || st.Eligible {
		t.Fatalf("115.69 of 115.70 should miss the minimum: %+v", st.Financial)
	}
	if got := st.Missing(); !slices.Equal(got, []string{"2026-10: payments $115.69 of $115.70"}) {
		t.Errorf("missing = %q", got)
	}
}

func TestPaymentInAnotherCurrency(t *testing.T) {
	// 86.78 GBP at 0.75 GBP per dollar is 115.7066... dollars: enough for
	// 115.70; 86.77 GBP is 115.6933...: not enough, though both show as
	// about 115.70 once rounded.
	for _, c := range []struct {
		amount string
		met    bool
		shown  string
	}{{"86.78", true, "115.71"}, {"86.77", false, "115.69"}} {
		f := newFixture()
		f.org("acme", "GB", "")
		f.monthly("acme", "2026-08", "2026-10", c.amount, "GBP")
		st := evaluate(t, f, "acme", "2026-10")
		pm := st.Financial.Months[2]
		if pm.Met != c.met || pm.Paid.Format(2) != c.shown || st.Financial.Met != c.met {
			t.Errorf("%s GBP: met %v paid %s, want met %v paid %s", c.amount, pm.Met, pm.Paid.Format(2), c.met, c.shown)
		}
	}
}

func TestPaymentAtTheLocalMinimum(t *testing.T) {
	// NZ's minimum is 115.70 US dollars or 86.77 NZD, rounded from the
	// same unrounded figure; 86.77 NZD at 0.75 is 115.6933 dollars, which
	// rounds below 115.70, yet it is the figure the program publishes.
	for _, c := range []struct {
		amount string
		met    bool
	}{{"86.77", true}, {"86.76", false}} {
		f := newFixture()
		f.org("acme", "NZ", "")
		f.monthly("acme", "2026-08", "2026-10", c.amount, "NZD")
		st := evaluate(t, f, "acme", "2026-10")
		if st.Financial.Met != c.met || st.Financial.Local.Format(2) != "86.77" || st.Financial.Currency != "NZD" {
			t.Errorf("%s NZD: met %v (%+v), want %v", c.amount, st.Financial.Met, st.Financial, c.met)
		}
	}
}

func TestPaymentWithoutARateCountsForNothing(t *testing.T) {
	f := newFixture()
	f.org("acme", "GB", "")
	f.monthly("acme", "2026-08", "2026-10", "500.00", "CHF")
	st := evaluate(t, f, "acme", "2026-10")
	pm := st.Financial.Months[0]
	if pm.Met || pm.Payments != 1 || !slices.Equal(pm.Unconverted, []string{"CHF"}) {
		t.Fatalf("a CHF payment without a rate: %+v", pm)
	}
	if m := st.Missing(); len(m) != 3 || !strings.Contains(m[0], "CHF without a rate in thresholds.yaml") {
		t.Errorf("missing = %q", m)
	}
}

func TestMinimumByCountry(t *testing.T) {
	cases := []struct {
		country, usd string
		basis        partner.Basis
	}{
		{"GB", "115.70", partner.BasisIndex},
		{"FR", "115.26", partner.BasisEuroArea}, // euro country without a row of its own
		{"NG", "38.00", partner.BasisOverride},  // missing from the index, entered by hand
		{"KE", "90.00", partner.BasisFallback},  // missing from the index, no override
	}
	f := newFixture()
	for i, c := range cases {
		f.org(fmt.Sprintf("org%d", i), c.country, "")
	}
	b := f.book(t)
	e := partner.NewEvaluator(b)
	for i, c := range cases {
		got := e.Minimum(b.Index.Orgs[fmt.Sprintf("org%d", i)])
		if got.USD.Format(2) != c.usd || got.Basis != c.basis {
			t.Errorf("country %q: minimum %s (%s), want %s (%s)", c.country, got.USD.Format(2), got.Basis, c.usd, c.basis)
		}
	}
	// The schema requires a country; should one be missing all the same,
	// the fallback applies rather than nothing.
	if got := e.Minimum(&ledger.Organization{ID: "nowhere"}); got.USD.Format(2) != "90.00" || got.Basis != partner.BasisFallback {
		t.Errorf("no country: minimum %s (%s), want the fallback", got.USD.Format(2), got.Basis)
	}
}

func TestScoreEachMonth(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "")
	f.monthly("acme", "2026-08", "2026-10", "100", "USD")
	delete(f, "credits/2026/09/github.yaml")
	f.credits("acme-dev", "2026-09-10", 1) // 5 of 10 in September
	st := evaluate(t, f, "acme", "2026-10")
	got := []int{st.Practical.Months[0].Score, st.Practical.Months[1].Score, st.Practical.Months[2].Score}
	if !slices.Equal(got, []int{10, 5, 10}) || st.Practical.Met || st.Practical.Months[1].Met || !st.Practical.Months[2].Met {
		t.Fatalf("scores %v, practical %+v", got, st.Practical)
	}
	if m := st.Missing(); !slices.Equal(m, []string{"2026-09: score 5 of 10"}) {
		t.Errorf("missing = %q", m)
	}
}

func TestAffiliationChangingInsideTheWindow(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "")
	f.org("globex", "US", "")
	// Alice works for acme until 15 September, then for globex; her
	// credits count for the organisation of their date, and so does a
	// sanction against her.
	f["people/alice.yaml"] = "name: Alice\nidentities: {github: alice}\naffiliations:\n" +
		"  - {org: acme, from: 2020-01-01, until: 2026-09-15}\n  - {org: globex, from: 2026-09-15}\n"
	f.credits("alice", "2026-09-14", 2)
	f.credits("alice", "2026-09-15", 4)
	f["conduct/2026/alice.yaml"] = "date: 2026-09-20\nperson: alice\noutcome: sanction\n"
	b := f.book(t)
	e := partner.NewEvaluator(b)
	acme, globex := e.Evaluate(b.Index.Orgs["acme"], mustMonth("2026-09")), e.Evaluate(b.Index.Orgs["globex"], mustMonth("2026-09"))
	if acme.Score != 10 || globex.Score != 20 {
		t.Errorf("September scores: acme %d, globex %d; want 10 and 20", acme.Score, globex.Score)
	}
	if !acme.Conduct.Met || globex.Conduct.Met {
		t.Errorf("the sanction counts against globex only: acme %+v, globex %+v", acme.Conduct, globex.Conduct)
	}
	if s := globex.Conduct.Sanctions; len(s) != 1 || !s[0].Member {
		t.Errorf("globex sanctions = %+v", s)
	}

	// A sanction naming both a person and an organisation is the person's:
	// it counts for both organisations, as a member's, once each.
	f["conduct/2026/alice.yaml"] = "date: 2026-09-20\nperson: alice\norg: acme\noutcome: sanction\n"
	b = f.book(t)
	e = partner.NewEvaluator(b)
	for _, org := range []string{"acme", "globex"} {
		s := e.Evaluate(b.Index.Orgs[org], mustMonth("2026-09")).Conduct.Sanctions
		if len(s) != 1 || !s[0].Member {
			t.Errorf("%s sanctions = %+v; want one, against a member", org, s)
		}
	}
}

// TestConductMember: a record names the organisation; member: true makes
// its sanction a member's, member: false or none the organisation's own.
func TestConductMember(t *testing.T) {
	for _, c := range []struct {
		member string
		want   bool
	}{{"member: true\n", true}, {"member: false\n", false}, {"", false}} {
		f := newFixture()
		f.org("acme", "US", "")
		f["conduct/2026/case.yaml"] = "date: 2026-09-20\norg: acme\n" + c.member + "outcome: sanction\n"
		st := evaluate(t, f, "acme", "2026-10")
		if s := st.Conduct.Sanctions; st.Conduct.Met || len(s) != 1 || s[0].Member != c.want {
			t.Errorf("%q: conduct %+v; want one sanction, member %v", c.member, st.Conduct, c.want)
		}
	}
}

func TestConductWindow(t *testing.T) {
	// As of October 2026 the window is November 2025 to October 2026: a
	// sanction on 31 October 2025 (twelve months and a day before the
	// window's end) no longer counts; one on 1 November 2025 does.
	for _, c := range []struct {
		date string
		met  bool
	}{{"2025-10-31", true}, {"2025-11-01", false}, {"2026-10-31", false}} {
		f := newFixture()
		f.org("acme", "US", "")
		f.monthly("acme", "2026-08", "2026-10", "100", "USD")
		f["conduct/"+c.date[:4]+"/case.yaml"] = "date: " + c.date + "\norg: acme\noutcome: sanction\n"
		st := evaluate(t, f, "acme", "2026-10")
		if st.Conduct.Met != c.met || st.Eligible != c.met {
			t.Errorf("sanction on %s: conduct met %v, eligible %v; want %v", c.date, st.Conduct.Met, st.Eligible, c.met)
		}
	}
	// Warnings and dismissed reports never count.
	f := newFixture()
	f.org("acme", "US", "")
	f.monthly("acme", "2026-08", "2026-10", "100", "USD")
	f["conduct/2026/a.yaml"] = "date: 2026-10-01\norg: acme\noutcome: warning\n"
	f["conduct/2026/b.yaml"] = "date: 2026-10-02\norg: acme\noutcome: dismissed\n"
	if st := evaluate(t, f, "acme", "2026-10"); !st.Eligible {
		t.Errorf("a warning and a dismissal made acme ineligible: %+v", st.Conduct)
	}
}

func TestPayerWithoutAnOrganisationCountsForNone(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "")
	f.monthly("acme", "2026-08", "2026-10", "50", "USD")
	f["funding/2026/10/github-sponsors.yaml"] = "payments:\n  - {id: \"github-sponsors:1\", payer: acme-corp, amount: \"500\", currency: USD, date: 2026-10-02, source: github-sponsors}\n"
	if st := evaluate(t, f, "acme", "2026-10"); st.Financial.Months[2].Paid.Format(2) != "50.00" {
		t.Errorf("a payment naming only a payer counted for acme: %+v", st.Financial.Months[2])
	}
}

func TestStanding(t *testing.T) {
	// A partner since March 2026 at the requirements until it stops
	// contributing: each month after that is a failed month.
	cases := []struct {
		lastGood string
		asOf     string
		failed   int
		standing partner.Standing
	}{
		{"2026-10", "2026-10", 0, partner.Good},
		{"2026-09", "2026-10", 1, partner.Warning},
		{"2026-08", "2026-10", 2, partner.Warning},
		{"2026-07", "2026-10", 3, partner.Lapsed},
		{"2026-05", "2026-10", 5, partner.Lapsed},
	}
	for _, c := range cases {
		f := newFixture()
		f.org("acme", "US", "2026-03-02")
		f.monthly("acme", "2026-01", c.lastGood, "100", "USD")
		for m := mustMonth(c.lastGood) + 1; m <= mustMonth(c.asOf); m++ {
			f.pay("acme", m.String()+"-05", "100", "USD") // still paying, no longer contributing
		}
		st := evaluate(t, f, "acme", c.asOf)
		if !st.Partner || st.FailedMonths != c.failed || st.Standing != c.standing {
			t.Errorf("good until %s: partner %v, %d failed, %s; want %d failed, %s", c.lastGood, st.Partner, st.FailedMonths, st.Standing, c.failed, c.standing)
		}
	}

	// Months before the partnership began never count against it.
	f := newFixture()
	f.org("acme", "US", "2026-10-20")
	f.credits("acme-dev", "2026-10-10", 2)
	f.pay("acme", "2026-10-05", "100", "USD")
	if st := evaluate(t, f, "acme", "2026-10"); st.Standing != partner.Good || st.FailedMonths != 0 {
		t.Errorf("a new partner good in its first month: %s after %d failed months", st.Standing, st.FailedMonths)
	}
}

func TestPartnershipThatEnded(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "2025-02-01")
	f["organizations/acme.yaml"] += "partner: {ended: 2026-09-01, reason: Moved on.}\n"
	f.monthly("acme", "2026-06", "2026-10", "100", "USD")
	b := f.book(t)
	e := partner.NewEvaluator(b)
	before, after := e.Evaluate(b.Index.Orgs["acme"], mustMonth("2026-08")), e.Evaluate(b.Index.Orgs["acme"], mustMonth("2026-09"))
	if !before.Partner || before.Former() {
		t.Errorf("August 2026: partner %v, former %v; want a partner", before.Partner, before.Former())
	}
	if after.Partner || !after.Former() || after.Standing != "" || after.Since.String() != "2025-02-01" {
		t.Errorf("September 2026: partner %v, former %v, standing %q, since %s; want a former partner", after.Partner, after.Former(), after.Standing, after.Since)
	}
	if d := e.NewDirectory(mustMonth("2026-09")); len(d.Partners) != 0 {
		t.Errorf("an ended partner is listed: %+v", d.Partners[0])
	}
}

func TestTiers(t *testing.T) {
	f := newFixture()
	f.org("big", "US", "2025-01-01")
	f.org("small", "US", "2025-01-01")
	f.org("rich", "US", "2025-01-01")
	f.monthly("big", "2026-10", "2026-10", "200", "USD")
	f.credits("big-dev", "2026-10-11", 4) // 30 points, 200 dollars: gold
	f.monthly("small", "2026-10", "2026-10", "100", "USD")
	f.monthly("rich", "2026-10", "2026-10", "1000", "USD") // money alone: bronze
	f.org("free", "US", "2025-01-01")
	f.credits("free-dev", "2026-10-10", 8) // 40 points, nothing paid: no tier
	b := f.book(t)
	e := partner.NewEvaluator(b)
	for org, want := range map[string]string{"big": "gold", "small": "bronze", "rich": "bronze", "free": ""} {
		if st := e.Evaluate(b.Index.Orgs[org], mustMonth("2026-10")); st.Tier != want {
			t.Errorf("%s: tier %q, want %q (score %d, paid %s)", org, st.Tier, want, st.Score, st.Paid.Format(2))
		}
	}
}

func TestDirectory(t *testing.T) {
	f := newFixture()
	for _, id := range []string{"able", "baker", "charlie", "delta"} {
		f.org(id, "US", "2025-01-01")
	}
	f.org("echo", "US", "") // not a partner: never listed
	// able and baker tie on score and credits (id decides); charlie scores
	// most but has lapsed, so is not featured; delta is featured instead.
	f.monthly("able", "2026-07", "2026-10", "100", "USD")
	f.monthly("baker", "2026-07", "2026-10", "100", "USD")
	f.monthly("delta", "2026-07", "2026-10", "100", "USD")
	f.credits("delta-dev", "2026-10-12", 1)
	f.credits("charlie-dev", "2026-06-10", 2)
	f.credits("charlie-dev", "2026-10-10", 9) // no payments since June
	f.monthly("echo", "2026-10", "2026-10", "100", "USD")
	f.credits("echo-dev", "2026-10-11", 20)
	// baker's score fell from 30 to 10: an alert.
	f.credits("baker-dev", "2026-09-11", 4)

	b := f.book(t)
	d := partner.NewEvaluator(b).NewDirectory(mustMonth("2026-10"))
	var got []string
	for _, p := range d.Partners {
		got = append(got, fmt.Sprintf("%d %s %s featured=%v", p.Rank, p.Org.ID, p.Standing, p.Featured))
	}
	want := []string{
		"1 charlie lapsed featured=false",
		"2 delta good featured=true",
		"3 able good featured=true",
		"4 baker good featured=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("directory:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Declines) != 1 || d.Declines[0] != (partner.Decline{Org: "baker", Previous: 30, Score: 10}) {
		t.Errorf("declines = %+v", d.Declines)
	}
	if len(d.Organizations) != 5 {
		t.Errorf("%d organisations evaluated, want 5", len(d.Organizations))
	}
	// Partners lists the same, evaluating the partners only.
	var again []string
	for _, p := range partner.NewEvaluator(b).Partners(mustMonth("2026-10")) {
		again = append(again, fmt.Sprintf("%d %s %s featured=%v", p.Rank, p.Org.ID, p.Standing, p.Featured))
	}
	if !slices.Equal(again, want) {
		t.Errorf("Partners:\n%s\nwant:\n%s", strings.Join(again, "\n"), strings.Join(want, "\n"))
	}
}

// TestRoadmapOfAPartner: a partner's listing holds its submissions up to
// the month, and how many more it may make in the month's year.
func TestRoadmapOfAPartner(t *testing.T) {
	f := newFixture()
	f.org("able", "US", "2025-01-01")
	f.monthly("able", "2026-01", "2026-10", "100", "USD")
	f["roadmap/2025/able-1.yaml"] = "submitted: 2025-06-01\ntitle: Old\nstatus: done\n"
	f["roadmap/2026/able-1.yaml"] = "submitted: 2026-03-01\ntitle: Export\nstatus: accepted\nfunding: {amount: \"500\", currency: EUR}\n"
	f["roadmap/2026/able-2.yaml"] = "submitted: 2026-10-20\ntitle: Import\n"
	b := f.book(t)
	for month, want := range map[string]struct {
		titles []string
		left   int
	}{
		"2026-10": {[]string{"Old", "Export", "Import"}, 1},
		"2026-09": {[]string{"Old", "Export"}, 2},
		"2025-12": {[]string{"Old"}, 2},
	} {
		p := partner.NewEvaluator(b).NewDirectory(mustMonth(month)).Partners[0]
		var titles []string
		for _, r := range p.Roadmap {
			titles = append(titles, r.Title)
		}
		if !slices.Equal(titles, want.titles) || p.RoadmapLeft != want.left {
			t.Errorf("%s: roadmap %q with %d left, want %q with %d", month, titles, p.RoadmapLeft, want.titles, want.left)
		}
	}
}

func TestApplicants(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "")
	f.monthly("acme", "2026-08", "2026-10", "100", "USD")
	f["applications/acme/2026-10-20.yaml"] = "submitted: 2026-10-20\ncontact: acme-dev\n"
	f["applications/acme/2026-11-02.yaml"] = "submitted: 2026-11-02\ncontact: acme-dev\n" // after the month
	b := f.book(t)
	d := partner.NewEvaluator(b).NewDirectory(mustMonth("2026-10"))
	if len(d.Applicants) != 1 || d.Applicants[0].Application.Submitted.String() != "2026-10-20" || !d.Applicants[0].Status.Eligible {
		t.Fatalf("applicants = %+v", d.Applicants)
	}
}

func TestDeclined(t *testing.T) {
	half := partner.DeclineAlert{Fraction: mustRat(t, "0.5"), MinScore: 10}
	for _, c := range []struct {
		prev, now int
		want      bool
	}{{10, 5, true}, {10, 6, false}, {10, 0, true}, {0, 0, false}, {10, 12, false}, {1 << 40, 1 << 39, true},
		{4, 2, false}, {9, 0, false}} { // too little to go by
		if got := half.Declined(c.prev, c.now); got != c.want {
			t.Errorf("Declined(%d, %d), half from 10 = %v", c.prev, c.now, got)
		}
	}
	if a := partner.DeclineAlertOf(ledger.DefaultPartnerRules); a.MinScore != 10 || a.Fraction.String() != "1/2" {
		t.Errorf("by default %v from %d, want half from 10", a.Fraction, a.MinScore)
	}
}

func mustRat(t *testing.T, s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("%q is not a fraction", s)
	}
	return r
}

func TestYearlyPaymentCountsInEachMonth(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "")
	f.monthly("acme", "2026-08", "2026-10", "0.01", "USD")
	f["funding/2026/08/github-sponsors.yaml"] = "payments:\n  - {id: \"github-sponsors:y1\", org: acme, amount: \"1200.00\", currency: USD, date: 2026-08-20, source: github-sponsors, note: yearly sponsorship, months: 12}\n"
	b := f.book(t)
	e := partner.NewEvaluator(b)
	st := e.Evaluate(b.Index.Orgs["acme"], mustMonth("2026-10"))
	for _, pm := range st.Financial.Months {
		if pm.Paid.Format(2) != "100.01" || !pm.Met || pm.Payments != 2 {
			t.Errorf("%s: %+v; want a twelfth of 1200 plus 0.01 from 2 payments", pm.Month, pm)
		}
	}
	// The year runs out after July 2027.
	if pm := e.Evaluate(b.Index.Orgs["acme"], mustMonth("2027-08")).Financial.Months[2]; pm.Paid != 0 || pm.Met {
		t.Errorf("2027-08: %+v; the yearly payment covered August 2026 to July 2027", pm)
	}
	if pm := e.Evaluate(b.Index.Orgs["acme"], mustMonth("2027-07")).Financial.Months[2]; pm.Paid.Format(2) != "100.00" {
		t.Errorf("2027-07: %+v", pm)
	}
}

func TestApplicationDecidedLater(t *testing.T) {
	f := newFixture()
	f.org("acme", "US", "")
	f.monthly("acme", "2026-08", "2026-10", "100", "USD")
	f["applications/acme/2026-09-20.yaml"] = "submitted: 2026-09-20\ncontact: acme-dev\ndecision: {outcome: rejected, date: 2026-10-05, by: [lead]}\n"
	b := f.book(t)
	e := partner.NewEvaluator(b)
	if d := e.NewDirectory(mustMonth("2026-09")); len(d.Applicants) != 1 {
		t.Errorf("as of September the application was open: applicants %+v", d.Applicants)
	}
	if d := e.NewDirectory(mustMonth("2026-10")); len(d.Applicants) != 0 {
		t.Errorf("as of October it was decided: applicants %+v", d.Applicants)
	}
}

// unvalidated is a ledger built in memory, with values no schema lets
// through, for the guards behind validation.
func unvalidated(rate string, payments ...ledger.Payment) *ledger.Ledger {
	l := &ledger.Ledger{
		Files:         []string{"funding/2026/10/opencollective.yaml"},
		Program:       &ledger.Program{Partners: ledger.DefaultPartnerRules},
		Thresholds:    &ledger.Thresholds{Rates: map[string]ledger.Rate{"KWD": {Value: rate}}},
		Organizations: []*ledger.Organization{{ID: "acme", Country: "US"}},
		Payments:      payments,
	}
	return l
}

func payment(amount money.Amount, currency, date string, months int) ledger.Payment {
	d, _ := ledger.ParseDate(date)
	return ledger.Payment{Org: "acme", Amount: amount, Currency: currency, Date: d, Months: months}
}

// TestPaymentsPastTheLimit: a month whose payments add up to more US
// dollars than an amount holds is listed, with the payment that took it
// there, for validation to report; its figure is the limit, never a number
// wrapped around.
func TestPaymentsPastTheLimit(t *testing.T) {
	largest := money.Limit - 100 // 999999999999.99
	l := unvalidated("0.000001",
		payment(100*money.Scale, "USD", "2026-10-01", 1),
		payment(largest, "KWD", "2026-10-02", 1), // 10^18 US dollars
		payment(largest, "KWD", "2026-10-03", 1),
		payment(largest, "USD", "2026-11-01", 1), // below the limit
	)
	over := partner.PaymentsOverLimit(l)
	if len(over) != 1 || over[0].Org != "acme" || over[0].Month != mustMonth("2026-10") || over[0].Payment != &l.Payments[1] {
		t.Errorf("over the limit: %+v; want acme's 2026-10, from its second payment", over)
	}
	e := partner.NewEvaluator(score.New(l))
	if pm := e.Evaluate(l.Organizations[0], mustMonth("2026-10")).Financial.Months[2]; pm.Paid != money.Limit {
		t.Errorf("2026-10 paid %s, want the limit %s", pm.Paid, money.Limit)
	}
	if pm := e.Evaluate(l.Organizations[0], mustMonth("2026-11")).Financial.Months[2]; pm.Paid != largest {
		t.Errorf("2026-11 paid %s, want %s", pm.Paid, largest)
	}
}

// TestPaymentForCountlessMonths: months past the schema's bound of 12
// count as 12, rather than as many months as memory holds.
func TestPaymentForCountlessMonths(t *testing.T) {
	l := unvalidated("1", payment(1200*money.Scale, "USD", "2026-01-01", 1<<40))
	e := partner.NewEvaluator(score.New(l))
	for _, m := range []string{"2026-01", "2026-12"} {
		if pm := e.Evaluate(l.Organizations[0], mustMonth(m)).Financial.Months[2]; pm.Paid != 100*money.Scale {
			t.Errorf("%s paid %s, want 100.00", m, pm.Paid)
		}
	}
}
