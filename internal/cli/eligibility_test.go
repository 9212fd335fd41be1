package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
)

func TestEligibilityOfOneOrganisation(t *testing.T) {
	out, errOut, code := run(t, "eligibility", "atelier-cobalt", "--as-of", "2026-09", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"atelier-cobalt (Atelier Cobalt) as of 2026-09: not yet eligible; partner since 2025-03-19, standing warning (2 months below the requirements in a row)",
		"payments       not met  at least $115.26 each month (FR, euro area)",
		"    2026-07    $127.62 from 1 payment",
		"    2026-08  ✗ $0.00",
		"  missing:\n    2026-08: score 5 of 10; payments $0.00 of $115.26\n    2026-09: score 4 of 10; payments $0.00 of $115.26\n",
		"  evidence       2026-07 to 2026-09: ",
		"    not known    self merged: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEligibilityJSON(t *testing.T) {
	out, errOut, code := run(t, "eligibility", "--json", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var got []struct {
		ID       string
		AsOf     string `json:"as_of"`
		Eligible bool
		Partner  bool
		Missing  []string
		Evidence struct {
			From, To string
			Flags    []struct{ Name, Status string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 8 {
		t.Fatalf("%d organisations, want the example's 8", len(got))
	}
	for _, o := range got {
		if o.AsOf != "2026-10" || o.Eligible != (len(o.Missing) == 0) {
			t.Errorf("%s: as of %s, eligible %v with missing %q", o.ID, o.AsOf, o.Eligible, o.Missing)
		}
		if e := o.Evidence; e.From != "2026-08" || e.To != "2026-10" || len(e.Flags) != len(partner.Flags) {
			t.Errorf("%s: evidence %+v", o.ID, e)
		}
	}
}

// TestEligibilityNamesNoSanctionedPerson: a conduct record in the old
// form names a person; eligibility counts it against the organisation the
// person worked for, as a member's, and never prints who. (The record is a
// finding, which stops the command; what it would print is checked here.)
func TestEligibilityNamesNoSanctionedPerson(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("../../ledger")); err != nil {
		t.Fatal(err)
	}
	legacy := "date: 2026-09-10\nperson: julia-ferreira\noutcome: sanction\n"
	if err := os.WriteFile(filepath.Join(dir, "conduct", "2026", "legacy.yaml"), []byte(legacy), 0o644); err != nil {
		t.Fatal(err)
	}
	l, _, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := score.New(l)
	e := partner.NewEvaluator(b)
	st, ev := e.Evaluate(b.Index.Orgs["ipe-labs"], ledger.MonthOf(2026, 10)), e.Evidence("ipe-labs", ledger.MonthOf(2026, 10))
	var out strings.Builder
	printStatus(&out, st)
	printEvidence(&out, ev)
	text := out.String() + string(report.EligibilityJSON([]*partner.Status{st}, []*partner.Evidence{ev}))
	if strings.Contains(text, "julia") || !strings.Contains(text, "2026-09-10  sanction against a member of its team") {
		t.Errorf("the sanction names the person or is missing:\n%s", text)
	}
}

func TestEligibilityUnknownOrganisation(t *testing.T) {
	_, errOut, code := run(t, "eligibility", "nortwind", "--ledger", "../../ledger")
	if code != exitUsage || !strings.Contains(errOut, `no organisation "nortwind" in the ledger; did you mean "northwind"?`) {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

func TestApply(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("../../ledger")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "apply", "--ledger", dir, "--org", "sen-software", "--contact", "github:lan-nguyen",
		"--statement", "We support Lumen in Vietnam: hosting, training.", "--date", "2026-11-03")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	path := filepath.Join(dir, "applications", "sen-software", "2026-11-03.yaml")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/application.schema.json\n" +
		"submitted: 2026-11-03\ncontact: github:lan-nguyen\nteam: [lan-nguyen, minh-tran]\n" +
		"statement: \"We support Lumen in Vietnam: hosting, training.\"\n"
	if string(got) != want {
		t.Errorf("application:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(out, "sen-software (Sen Software JSC) as of 2026-10: not yet eligible") ||
		!strings.Contains(out, "2026-10: score 0 of 10; payments $0.00 of $47.27") {
		t.Errorf("evidence:\n%s", out)
	}
	if _, errOut, code := run(t, "validate", "--ledger", dir); code != 0 {
		t.Errorf("the ledger with the application is not valid:\n%s", errOut)
	}
	// Applying again, that day or later, while the first waits.
	if _, errOut, code := run(t, "apply", "--ledger", dir, "--org", "sen-software", "--contact", "lan-nguyen", "--date", "2026-11-03"); code != exitUsage || !strings.Contains(errOut, "already has an application waiting for a decision") {
		t.Errorf("second application: exit %d\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != want {
		t.Error("the second run changed the first application")
	}
	if _, errOut, code := run(t, "apply", "--ledger", dir, "--org", "nobody", "--contact", "lan-nguyen"); code != exitUsage || !strings.Contains(errOut, `no organisation "nobody"`) {
		t.Errorf("unknown organisation: exit %d\n%s", code, errOut)
	}
}

// TestDefaultMonthHasEnded: without --as-of, commands look at the latest
// month with credits that has ended. On 15 October 2026 the example's
// October credits belong to a month under way, which would show every
// partner short of its payments.
func TestDefaultMonthHasEnded(t *testing.T) {
	var out, errb strings.Builder
	s := &streams{in: strings.NewReader(""), out: &out, err: &errb, now: func() time.Time { return time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC) }}
	if err := runEligibility(s, eligibilityOptions{ledger: "../../ledger"}, []string{"northwind"}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "northwind (Northwind Analytics Ltd) as of 2026-09: eligible") {
		t.Errorf("output:\n%s", out.String())
	}
	dir := t.TempDir()
	if err := runReport(s, reportOptions{ledger: "../../ledger", out: dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "monthly", "2026-10.md")); err == nil {
		t.Error("a report of October 2026 was written on 15 October")
	}
	if b, err := os.ReadFile(filepath.Join(dir, "partners.json")); err != nil || !strings.Contains(string(b), `"as_of": "2026-09"`) {
		t.Errorf("partners.json: %v\n%.200s", err, b)
	}
}

// TestApplyJudgesTheMonthEligibilityDoes: the evidence apply prints is what
// tally eligibility shows the same day, even when the last month ended has
// no credits yet (ingestion has not run).
func TestApplyJudgesTheMonthEligibilityDoes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("../../ledger")); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	s := &streams{in: strings.NewReader(""), out: &out, err: &errb, now: func() time.Time { return time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC) }}
	if err := runEligibility(s, eligibilityOptions{ledger: dir}, []string{"sen-software"}); err != nil {
		t.Fatal(err)
	}
	eligibility := out.String()
	out.Reset()
	if err := runApply(s, applyOptions{ledger: dir, org: "sen-software", contact: "lan-nguyen"}); err != nil {
		t.Fatal(err)
	}
	const head = "sen-software (Sen Software JSC) as of 2026-10: not yet eligible"
	if !strings.HasPrefix(eligibility, head) || !strings.Contains(out.String(), "\n"+eligibility) {
		t.Errorf("eligibility:\n%s\napply:\n%s", eligibility, out.String())
	}
}

// TestApplyWhileUndecided: an organisation whose application waits for a
// decision cannot open a second one.
func TestApplyWhileUndecided(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("../../ledger")); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "apply", "--ledger", dir, "--org", "ipe-labs", "--contact", "beatriz-santos", "--date", "2026-11-20")
	want := "tally: ipe-labs already has an application waiting for a decision: " + filepath.ToSlash(filepath.Join(dir, "applications/ipe-labs/2026-10-19.yaml")) +
		"; the leadership decides it first (or, to withdraw it, delete that file)\n"
	if code != exitUsage || errOut != want {
		t.Errorf("exit %d\n%s\nwant:\n%s", code, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "applications", "ipe-labs", "2026-11-20.yaml")); err == nil {
		t.Error("a second application was written")
	}
	// Once decided, the organisation may apply again.
	if _, errOut, code := run(t, "apply", "--ledger", dir, "--org", "kieselstein", "--contact", "jonas-weber", "--date", "2026-11-20"); code != 0 {
		t.Errorf("an organisation with decided applications: exit %d\n%s", code, errOut)
	}
}
