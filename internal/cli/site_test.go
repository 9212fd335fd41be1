package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSiteUpToDate keeps the committed reports/site in step with ledger/
// and the code: it is what `tally site` writes today.
func TestSiteUpToDate(t *testing.T) {
	out := t.TempDir()
	_, errOut, code := run(t, "site", "--ledger", "../../ledger", "--out", out)
	if code != 0 {
		t.Fatalf("tally site: exit %d\n%s", code, errOut)
	}
	got, want := files(t, out), files(t, "../../reports/site")
	for name, data := range got {
		if !bytes.Equal(data, want[name]) {
			t.Errorf("reports/site/%s is out of date: run go run ./cmd/tally report", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("reports/site/%s should not exist: run go run ./cmd/tally report", name)
		}
	}
}

func TestSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	_, errOut, code := run(t, "site", "--ledger", "../../ledger", "--out", out, "--as-of", "2026-09", "--base-url", "https://example.org/partners")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.HasSuffix(errOut, "files written, 0 unchanged, 0 removed\n") {
		t.Errorf("summary: %q", errOut)
	}
	data, err := os.ReadFile(filepath.Join(out, "partners.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		AsOf     string `json:"as_of"`
		Partners []struct {
			ID       string
			Rank     int
			Featured bool
			Score    int
			Page     string
		}
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if d.AsOf != "2026-09" || len(d.Partners) == 0 {
		t.Fatalf("partners.json: %s", data)
	}
	// Ranked by the month's score; the first program.partners.featured featured.
	for i, p := range d.Partners {
		if p.Rank != i+1 || p.Featured != (i < 3) || (i > 0 && p.Score > d.Partners[i-1].Score) {
			t.Errorf("partner %d: %+v", i+1, p)
		}
		if p.Page != "https://example.org/partners/partners/"+p.ID+".html" {
			t.Errorf("page address %q", p.Page)
		}
	}
	// Only partners are listed: Ipê Labs applied in October 2026 and has
	// no decision yet.
	var ids []string
	for _, p := range d.Partners {
		ids = append(ids, p.ID)
	}
	if slices.Contains(ids, "ipe-labs") || !slices.Contains(ids, "northwind") {
		t.Errorf("listed: %v", ids)
	}

	_, errOut, code = run(t, "site", "--ledger", "../../ledger", "--out", out, "--as-of", "2026-09", "--base-url", "https://example.org/partners")
	var written, unchanged, removed int
	summary := errOut[strings.LastIndex(errOut, ": ")+2:]
	if _, err := fmt.Sscanf(summary, "%d files written, %d unchanged, %d removed", &written, &unchanged, &removed); err != nil ||
		code != 0 || written != 0 || unchanged == 0 || removed != 0 {
		t.Errorf("a second run changed files: %q", errOut)
	}
}

func TestSiteErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	stdout, errOut, code := run(t, "site", "--ledger", caseLedger(t, "reference"), "--out", out)
	if code != 1 || stdout == "" || !strings.Contains(errOut, "no site written") {
		t.Errorf("an invalid ledger: exit %d\n%s%s", code, stdout, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a site was written from an invalid ledger")
	}
	for _, c := range []struct{ flag, value, want string }{
		{"--as-of", "2026-13", "--as-of"},
		{"--base-url", "example.org", "base URL"},
	} {
		_, errOut, code := run(t, "site", "--ledger", "../../ledger", "--out", out, c.flag, c.value)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s %s: exit %d, %q", c.flag, c.value, code, errOut)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s %s: a site was written", c.flag, c.value)
		}
	}
}
