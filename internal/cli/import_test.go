package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importLedger copies the importer's test ledger: two organisations, a
// hand-edited October shard, the program in Europe/Berlin.
func importLedger(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ledger")
	if err := os.CopyFS(dir, os.DirFS("../importer/testdata/ledger")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestImportCommand(t *testing.T) {
	dir := importLedger(t)
	prefix := filepath.ToSlash(dir)
	out, errOut, code := run(t, "import", "opencollective", "../importer/testdata/oc-labels.csv", "--ledger", dir)
	want := "opencollective: 8 rows read from ../importer/testdata/oc-labels.csv\n" +
		"added: 4 payments\n" +
		"  " + prefix + "/funding/2026/10/opencollective.yaml: 3\n" +
		"  " + prefix + "/funding/2026/11/opencollective.yaml: 1 (new file)\n" +
		"already in the ledger: 0\n" +
		"skipped: 4\n" +
		"  1 not an incoming contribution: opencollective:a1b2c3d5 (DEBIT HOST_FEE)\n" +
		"  1 refunded: opencollective:c3d4e5f6 (by opencollective:d4e5f6a7)\n" +
		"  1 a refund: opencollective:d4e5f6a7 (of opencollective:c3d4e5f6)\n" +
		"  1 paid through GitHub Sponsors (tally import sponsors counts it): opencollective:e5f6a7b8\n" +
		"unmatched payers: 1\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, out, want, errOut)
	}
	wantErr := "Payers that match no organisation's accounts (1 payment, written with payer: and no org:):\n" +
		"  guest-7f3e9a21: opencollective:b2c3d4e5\n" +
		"To count them for an organisation, add the payer to its accounts (organizations/<id>.yaml: accounts: {opencollective: HANDLE}) and set org: on those payments.\n"
	if errOut != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, wantErr)
	}

	out, _, code = run(t, "import", "opencollective", "../importer/testdata/oc-keys.csv", "--ledger", dir)
	if code != 0 || !strings.Contains(out, "added: none\nalready in the ledger: 4\n") {
		t.Errorf("again: exit %d\n%s", code, out)
	}

	out, errOut, code = run(t, "import", "github-sponsors", "../importer/testdata/sponsors.csv", "--ledger", dir)
	if code != 0 || !strings.Contains(out, "added: 3 payments\n") || !strings.Contains(out, "1 not settled: github-sponsors:ch_3QcDriveBy0004 (status failed)") ||
		!strings.Contains(errOut, "big-fan: github-sponsors:ch_3QbFanYear0003") || !strings.Contains(errOut, "accounts: {github: HANDLE}") {
		t.Errorf("sponsors: exit %d\n%s%s", code, out, errOut)
	}

	out, errOut, code = run(t, "validate", "--ledger", dir)
	if code != 0 {
		t.Errorf("the ledger after the imports: exit %d\n%s%s", code, out, errOut)
	}
}

func TestImportCommandErrors(t *testing.T) {
	dir := importLedger(t)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"import", "opencollective", "no-such.csv", "--ledger", dir}, "no-such.csv"},
		{[]string{"import", "sponsors", "../importer/testdata/oc-keys.csv", "--ledger", dir}, `no column "Sponsor Handle"`},
		{[]string{"import", "opencollective", "../importer/testdata/oc-keys.csv", "--ledger", "no-such-ledger"}, "cannot read the ledger"},
		{[]string{"import", "paypal", "x.csv"}, "unknown command"},
		{[]string{"import", "opencollective"}, "accepts 1 arg"},
	} {
		out, errOut, code := run(t, c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.msg)
		}
	}
}
