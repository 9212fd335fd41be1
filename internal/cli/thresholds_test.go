package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigmacFixture holds rows of The Economist's raw index for 2017-07-01,
// 2025-01-01 and 2026-01-01, copied as facts.
const bigmacFixture = "../partner/testdata/bigmac.csv"

// orgLedger writes a ledger folder holding only organisations.
func orgLedger(t *testing.T, countries map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ledger")
	for id, country := range countries {
		path := filepath.Join(dir, "organizations", id+".yaml")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("name: "+id+"\ncountry: "+country+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestThresholdsCommand(t *testing.T) {
	dir := orgLedger(t, map[string]string{"northwind": "GB", "kieselstein": "DE", "ipe-labs": "BR", "redwood": "US", "lagos-labs": "NG"})
	out, errOut, code := run(t, "thresholds", "--bigmac", bigmacFixture, "--date", "2025-01-01", "--ledger", dir)
	if code != 0 || out != "" || !strings.Contains(errOut, "wrote "+filepath.Join(dir, "thresholds.yaml")+" from the 2025-01-01 release: 8 countries and the euro area") {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errOut)
	}

	out, errOut, code = run(t, "thresholds", "--bigmac", bigmacFixture, "--date", "2026-01-01", "--ledger", dir)
	want := "ipe-labs (BR): 69.53 -> 72.72 USD\n" +
		"kieselstein (DE, euro area): 102.81 -> 115.26 USD\n" +
		"northwind (GB): 98.89 -> 115.70 USD\n"
	if code != 0 || out != want || !strings.Contains(errOut, "3 organisations' minimums move") {
		t.Errorf("new release: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, out, want, errOut)
	}
	written, err := os.ReadFile(filepath.Join(dir, "thresholds.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	out, errOut, code = run(t, "thresholds", "--bigmac", bigmacFixture, "--date", "2026-01-01", "--ledger", dir)
	if code != 0 || out != "" || !strings.Contains(errOut, "is up to date") {
		t.Errorf("same release again: exit %d\n%s%s", code, out, errOut)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "thresholds.yaml")); string(again) != string(written) {
		t.Error("a second run changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // organizations/ and thresholds.yaml: no temporary file left
		t.Errorf("%d entries in the ledger folder", len(entries))
	}
}

func TestThresholdsCommandErrors(t *testing.T) {
	dir := orgLedger(t, nil)
	out := filepath.Join(dir, "thresholds.yaml")
	broken := "overrides:\n  NG: {usd: \"38.00\"}\n" // no evidence
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--date", "2025-07-01"}, 2, "no release dated 2025-07-01; the nearest are 2025-01-01 and 2026-01-01"},
		{[]string{"--date", "July 2025"}, 2, "--date:"},
		{[]string{"--date", "2026-01-01", "--base", "-1"}, 2, "not a positive decimal"},
		{[]string{"--date", "2026-01-01"}, 1, "nothing was written"},
	} {
		args := append([]string{"thresholds", "--bigmac", bigmacFixture, "--ledger", dir}, c.args...)
		stdout, stderr, code := run(t, args...)
		if code != c.code || stdout != "" || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, stdout, stderr, c.code, c.msg)
		}
	}
	if b, _ := os.ReadFile(out); string(b) != broken {
		t.Error("a failed run changed the file")
	}
	_, stderr, code := run(t, "thresholds", "--bigmac", "no-such.csv", "--date", "2026-01-01", "--out", filepath.Join(t.TempDir(), "t.yaml"))
	if code != 2 || !strings.Contains(stderr, "no-such.csv") {
		t.Errorf("missing CSV: exit %d, %s", code, stderr)
	}
}

// TestBundledThresholdsUpToDate: the bundled ledger's thresholds.yaml is
// what `tally thresholds` makes from The Economist's file, its NG override
// included.
func TestBundledThresholdsUpToDate(t *testing.T) {
	const csv = "../../../shared/data/bigmac/big-mac-raw-index.csv"
	if _, err := os.Stat(csv); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", csv)
	}
	bundled, err := os.ReadFile("../../ledger/thresholds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "thresholds.yaml")
	if err := os.WriteFile(out, bundled, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, "thresholds", "--bigmac", csv, "--date", "2026-01-01", "--out", out, "--ledger", "../../ledger")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "is up to date") || !strings.Contains(stderr, "1 override kept (NG)") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}
