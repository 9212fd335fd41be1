package importer

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
)

// copyLedger copies testdata/ledger into a temporary folder.
func copyLedger(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dst, os.DirFS("testdata/ledger")); err != nil {
		t.Fatal(err)
	}
	return dst
}

// snapshot reads every file of a folder.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func readExport(t *testing.T, path string, read func(r *os.File) (*Export, error)) *Export {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := read(f)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func readOC(t *testing.T, path string) *Export {
	return readExport(t, path, func(f *os.File) (*Export, error) { return ReadOpenCollective(f, berlin(t)) })
}

func readSponsors(t *testing.T, path string) *Export {
	return readExport(t, path, func(f *os.File) (*Export, error) { return ReadSponsors(f, berlin(t)) })
}

// importFile loads the ledger afresh and merges an export into it.
func importFile(t *testing.T, dir string, e *Export) *Summary {
	t.Helper()
	l, err := LoadLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Merge(dir, l, e)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate runs tally's own checks on a ledger folder.
func validate(t *testing.T, dir string) {
	t.Helper()
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(findings, check.Run(l)...) {
		t.Errorf("the ledger is no longer valid: %s", f)
	}
}

func TestOpenCollectiveHeaderVariants(t *testing.T) {
	want := []Record{
		{ID: "opencollective:a1b2c3d4", Payer: "acme-digital", Amount: "120.00", Currency: "USD", Date: ledger.MustDate("2026-10-03"), Line: 2},
		{ID: "opencollective:b2c3d4e5", Payer: "guest-7f3e9a21", Amount: "25.00", Currency: "USD", Date: ledger.MustDate("2026-10-05"), Line: 4},
		// 23:30 UTC on 30 September is 1 October in Berlin, the program's time zone.
		{ID: "opencollective:f6a7b8c9", Payer: "globex-eu", Amount: "47.50", Currency: "EUR", Date: ledger.MustDate("2026-10-01"), Line: 8},
		{ID: "opencollective:0a1b2c3d", Payer: "GLOBEX", Amount: "80.00", Currency: "EUR", Date: ledger.MustDate("2026-11-02"), Line: 9},
	}
	wantSkips := []string{
		"opencollective:a1b2c3d5 not an incoming contribution (DEBIT HOST_FEE)",
		"opencollective:c3d4e5f6 refunded (by opencollective:d4e5f6a7)",
		"opencollective:d4e5f6a7 a refund (of opencollective:c3d4e5f6)",
		"opencollective:e5f6a7b8 paid through GitHub Sponsors (tally import sponsors counts it) ()",
	}
	for _, file := range []string{"testdata/oc-keys.csv", "testdata/oc-labels.csv", "testdata/oc-2023.csv"} {
		e := readOC(t, file)
		if !reflect.DeepEqual(e.Records, want) {
			t.Errorf("%s: records\n%+v\nwant\n%+v", file, e.Records, want)
		}
		var skips []string
		for _, s := range e.Skipped {
			skips = append(skips, s.ID+" "+s.Reason+" ("+s.Detail+")")
		}
		if strings.Join(skips, "\n") != strings.Join(wantSkips, "\n") {
			t.Errorf("%s: skipped\n%s\nwant\n%s", file, strings.Join(skips, "\n"), strings.Join(wantSkips, "\n"))
		}
		if e.Rows != 8 || e.Refunded["opencollective:c3d4e5f6"] != "opencollective:d4e5f6a7" {
			t.Errorf("%s: %d rows, refunded %v", file, e.Rows, e.Refunded)
		}
	}
}

// wantOctober is the hand-edited shard after the import: its comments and
// its hand-written payment are where they were, and the new payments are
// in date order around them.
const wantOctober = `# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/funding.schema.json
# October 2026. Hand-written payments are welcome here: imports keep them.
payments:
  - id: opencollective:f6a7b8c9
    org: globex
    amount: "47.50"
    currency: EUR
    date: 2026-10-01
    source: opencollective
  # A cheque Acme sent to the treasurer; no transaction on Open Collective.
  - id: manual:acme-cheque-2026-10
    org: acme
    amount: "60.00"   # half of the agreed 120
    currency: GBP
    date: 2026-10-02
    source: opencollective
    note: Cheque, banked by the treasurer
  - id: opencollective:a1b2c3d4
    org: acme
    amount: "120.00"
    currency: USD
    date: 2026-10-03
    source: opencollective
  - id: opencollective:b2c3d4e5
    payer: guest-7f3e9a21
    amount: "25.00"
    currency: USD
    date: 2026-10-05
    source: opencollective
  - id: opencollective:77aa01bc
    org: globex
    amount: "80.00"
    currency: EUR
    date: 2026-10-06
    source: opencollective
`

const wantNovember = `# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/funding.schema.json
payments:
  - id: opencollective:0a1b2c3d
    org: globex
    amount: "80.00"
    currency: EUR
    date: 2026-11-02
    source: opencollective
`

func TestImportOpenCollective(t *testing.T) {
	dir := copyLedger(t)
	before := snapshot(t, dir)
	s := importFile(t, dir, readOC(t, "testdata/oc-keys.csv"))
	after := snapshot(t, dir)

	if got := after["funding/2026/10/opencollective.yaml"]; got != wantOctober {
		t.Errorf("October shard:\n%s\nwant:\n%s", got, wantOctober)
	}
	if got := after["funding/2026/11/opencollective.yaml"]; got != wantNovember {
		t.Errorf("November shard:\n%s\nwant:\n%s", got, wantNovember)
	}
	for name, data := range before {
		if !strings.HasPrefix(name, "funding/") && after[name] != data {
			t.Errorf("%s changed", name)
		}
	}
	if len(after) != len(before)+1 {
		t.Errorf("files: %d before, %d after; want one new shard", len(before), len(after))
	}
	validate(t, dir)

	if len(s.Added) != 4 || len(s.Present) != 0 || len(s.Skipped) != 4 {
		t.Errorf("added %d, present %d, skipped %d", len(s.Added), len(s.Present), len(s.Skipped))
	}
	wantFiles := []FileChange{
		{Path: "funding/2026/10/opencollective.yaml", Added: 3},
		{Path: "funding/2026/11/opencollective.yaml", Added: 1, Created: true},
	}
	if !reflect.DeepEqual(s.Files, wantFiles) {
		t.Errorf("files %+v", s.Files)
	}
	// The guest matches no organisation: written with payer, and listed.
	if want := []Payer{{Handle: "guest-7f3e9a21", IDs: []string{"opencollective:b2c3d4e5"}}}; !reflect.DeepEqual(s.Unmatched, want) {
		t.Errorf("unmatched %+v", s.Unmatched)
	}
}

// TestImportIdempotent imports the same payments twice, and in each header
// variant: after the first, nothing changes.
func TestImportIdempotent(t *testing.T) {
	dir := copyLedger(t)
	importFile(t, dir, readOC(t, "testdata/oc-keys.csv"))
	importFile(t, dir, readSponsors(t, "testdata/sponsors.csv"))
	first := snapshot(t, dir)
	for _, e := range []*Export{
		readOC(t, "testdata/oc-keys.csv"), readOC(t, "testdata/oc-labels.csv"), readOC(t, "testdata/oc-2023.csv"),
		readSponsors(t, "testdata/sponsors.csv"),
	} {
		s := importFile(t, dir, e)
		if len(s.Added) != 0 || len(s.Files) != 0 || len(s.Present) != len(e.Records) || len(s.Differs) != 0 {
			t.Errorf("%s again: added %d, files %v, present %d of %d, differs %v", e.Source, len(s.Added), s.Files, len(s.Present), len(e.Records), s.Differs)
		}
		if len(s.Unmatched) == 0 {
			t.Errorf("%s again: the unmatched payers are no longer listed", e.Source)
		}
	}
	if again := snapshot(t, dir); !reflect.DeepEqual(first, again) {
		t.Error("importing again changed the ledger")
	}
	validate(t, dir)
}

func TestImportSponsors(t *testing.T) {
	dir := copyLedger(t)
	e := readSponsors(t, "testdata/sponsors.csv")
	if len(e.Skipped) != 1 || e.Skipped[0].Reason != "not settled" || e.Skipped[0].ID != "github-sponsors:ch_3QcDriveBy0004" {
		t.Errorf("skipped %+v", e.Skipped)
	}
	s := importFile(t, dir, e)
	files := snapshot(t, dir)
	want := map[string]string{
		// The prorated first month: the processed amount, not the tier's.
		"funding/2026/09/github-sponsors.yaml": `# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/funding.schema.json
payments:
  - id: github-sponsors:ch_3QaAcmeSep0001
    org: acme
    amount: "55.00"
    currency: USD
    date: 2026-09-14
    source: github-sponsors
`,
		"funding/2026/10/github-sponsors.yaml": `# yaml-language-server: $schema=https://raw.githubusercontent.com/tallyledger/tally/main/schemas/funding.schema.json
payments:
  - id: github-sponsors:ch_3QbFanYear0003
    payer: big-fan
    amount: "1200.00"
    currency: USD
    date: 2026-10-01
    source: github-sponsors
    note: yearly sponsorship
    months: 12
  - id: github-sponsors:ch_3QaAcmeOct0002
    org: acme
    amount: "100.00"
    currency: USD
    date: 2026-10-14
    source: github-sponsors
`,
	}
	for name, w := range want {
		if files[name] != w {
			t.Errorf("%s:\n%s\nwant:\n%s", name, files[name], w)
		}
	}
	if len(s.Unmatched) != 1 || s.Unmatched[0].Handle != "big-fan" {
		t.Errorf("unmatched %+v", s.Unmatched)
	}
	validate(t, dir)
}

// TestImportLedgerWins: a payment already in the ledger is never rewritten
// or removed, whatever the export says; the differences are reported.
func TestImportLedgerWins(t *testing.T) {
	dir := copyLedger(t)
	shard := filepath.Join(dir, "funding/2026/10/opencollective.yaml")
	hand := `payments:
  - {id: opencollective:a1b2c3d4, org: acme, amount: "100.00", currency: USD, date: 2026-10-03, source: opencollective}
  - {id: opencollective:b2c3d4e5, payer: Acme-Digital, amount: "25.00", currency: USD, date: 2026-10-05, source: opencollective}
  - {id: opencollective:c3d4e5f6, org: globex, amount: "100.00", currency: EUR, date: 2026-10-07, source: opencollective}
`
	if err := os.WriteFile(shard, []byte(hand), 0o644); err != nil {
		t.Fatal(err)
	}
	s := importFile(t, dir, readOC(t, "testdata/oc-keys.csv"))
	want := `payments:
  - {id: opencollective:f6a7b8c9, org: globex, amount: "47.50", currency: EUR, date: 2026-10-01, source: opencollective}
` + strings.TrimPrefix(hand, "payments:\n")
	if got, _ := os.ReadFile(shard); string(got) != want {
		t.Errorf("shard:\n%s\nwant:\n%s", got, want)
	}
	if want := []Difference{{ID: "opencollective:a1b2c3d4", File: "funding/2026/10/opencollective.yaml",
		What: "amount 120.00 USD in the export, 100.00 USD in the ledger"}}; !reflect.DeepEqual(s.Differs, want) {
		t.Errorf("differs %+v", s.Differs)
	}
	if want := []Refunded{{ID: "opencollective:c3d4e5f6", File: "funding/2026/10/opencollective.yaml", By: "opencollective:d4e5f6a7"}}; !reflect.DeepEqual(s.RefundedInLedger, want) {
		t.Errorf("refunded in the ledger %+v", s.RefundedInLedger)
	}
	// The payment written with a payer before the payer was given to acme.
	if want := []Attributable{{ID: "opencollective:b2c3d4e5", File: "funding/2026/10/opencollective.yaml", Payer: "Acme-Digital", Org: "acme"}}; !reflect.DeepEqual(s.Attributable, want) {
		t.Errorf("attributable %+v", s.Attributable)
	}
	if len(s.Unmatched) != 0 {
		t.Errorf("unmatched %+v", s.Unmatched)
	}
}

// TestImportNothingWrittenOnError: when one shard cannot be merged, no
// shard is written, not even those before it.
func TestImportNothingWrittenOnError(t *testing.T) {
	dir := copyLedger(t)
	nov := filepath.Join(dir, "funding/2026/11/opencollective.yaml")
	if err := os.MkdirAll(filepath.Dir(nov), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(nov, []byte("payments: [{id: x, org: acme, amount: \"1\", currency: USD, date: 2026-11-01, source: opencollective}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	l, err := LoadLedger(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Merge(dir, l, readOC(t, "testdata/oc-keys.csv"))
	if err == nil || !strings.Contains(err.Error(), "funding/2026/11/opencollective.yaml: payments is a flow list") {
		t.Fatalf("error %v", err)
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("a failed import changed the ledger")
	}
}

func TestReadErrors(t *testing.T) {
	for _, c := range []struct {
		name, csv, want string
	}{
		{"members export", "MemberId,createdAt,type,role,tier,isActive,totalAmountDonated,currency\n", "members export"},
		{"not an export", "a,b,c\n1,2,3\n", `no column shortId ("Short Transaction ID"), datetime ("Date & Time"), type ("Credit/Debit")`},
		{"empty", "", "empty"},
	} {
		_, err := ReadOpenCollective(strings.NewReader(c.csv), time.UTC)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
	_, err := ReadSponsors(strings.NewReader("Sponsor Handle,Status\n"), time.UTC)
	if err == nil || !strings.Contains(err.Error(), `no column "Transaction ID", "Processed Amount", "Transaction Date"`) {
		t.Errorf("sponsors: %v", err)
	}
}

func TestOddRows(t *testing.T) {
	csv := "type,kind,shortId,amount,currency,oppositeAccountSlug,date\n" +
		"CREDIT,CONTRIBUTION,aa000001,10.005,USD,x,2026-10-01\n" + // a fraction of a cent
		"CREDIT,CONTRIBUTION,aa000002,0,USD,x,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,aa000003,5,JPY,x,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,aa000004,5.5,JPY,x,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,aa000005,5,XYZ,x,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,aa000006,5,USD,,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,aa000007,5,USD,x,October\n" +
		"CREDIT,CONTRIBUTION,,5,USD,x,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,aa000008,\"1,000\",USD,x,2026-10-01\n"
	e, err := ReadOpenCollective(strings.NewReader(csv), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range e.Records {
		got = append(got, r.ID+" "+r.Amount+" "+r.Currency)
	}
	if want := "opencollective:aa000003 5 JPY\nopencollective:aa000008 1000.00 USD"; strings.Join(got, "\n") != want {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	var skips []string
	for _, s := range e.Skipped {
		skips = append(skips, s.Reason+": "+s.Detail)
	}
	want := []string{
		"not a payment: the amount 10.005 has more decimals than USD has (2)",
		"not a payment: nothing paid (0)",
		"not a payment: the amount 5.5 has more decimals than JPY has (0)",
		`not a payment: "XYZ" is not an ISO 4217 currency`,
		"no payer handle: ",
		`no date: "October" is not a date`,
		"no transaction id: ",
	}
	if strings.Join(skips, "\n") != strings.Join(want, "\n") {
		t.Errorf("skips:\n%s\nwant:\n%s", strings.Join(skips, "\n"), strings.Join(want, "\n"))
	}

	// The same transaction twice in one export is imported once.
	twice := "type,kind,shortId,amount,currency,oppositeAccountSlug,date\n" +
		"CREDIT,CONTRIBUTION,bb000001,5,USD,globex,2026-10-01\n" +
		"CREDIT,CONTRIBUTION,bb000001,5,USD,globex,2026-10-01\n"
	e, err = ReadOpenCollective(strings.NewReader(twice), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	s := importFile(t, copyLedger(t), e)
	if len(s.Added) != 1 || len(s.Skipped) != 1 || s.Skipped[0].Reason != "listed twice in the export" {
		t.Errorf("added %d, skipped %+v", len(s.Added), s.Skipped)
	}
}

func TestLocation(t *testing.T) {
	l := &ledger.Ledger{}
	if loc, err := Location(l); err != nil || loc != time.UTC {
		t.Errorf("no program: %v, %v", loc, err)
	}
	l.Program = &ledger.Program{Timezone: "Mars/Olympus"}
	if _, err := Location(l); err == nil {
		t.Error("an unknown time zone accepted")
	}
}

func TestLoadLedgerRefusesBrokenShards(t *testing.T) {
	dir := copyLedger(t)
	if err := os.WriteFile(filepath.Join(dir, "funding/2026/10/github-sponsors.yaml"), []byte("payments:\n  - id: a\n   org: b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadLedger(dir)
	if err == nil || !strings.Contains(err.Error(), "funding/2026/10/github-sponsors.yaml cannot be read") {
		t.Errorf("error %v", err)
	}
	if _, err := LoadLedger(filepath.Join(dir, "none")); err == nil {
		t.Error("a missing ledger loaded")
	}
}
