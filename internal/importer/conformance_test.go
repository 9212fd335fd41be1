package importer

import (
	"errors"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
)

// The shared data holds the real headers of the exports (and a few real
// rows), in text files that describe them. These tests read them when they
// are there; a fresh clone has no ../shared.
const sharedPayments = "../../../shared/data/payments/"

func readShared(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(sharedPayments + name)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", sharedPayments+name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(data), "\n")
}

// csvBlocks returns the CSV blocks of a description file: runs of lines
// that are neither comments nor blank.
func csvBlocks(lines []string) []string {
	var blocks []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, strings.Join(cur, "\n")+"\n")
			cur = nil
		}
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return blocks
}

func TestConformanceOpenCollective(t *testing.T) {
	blocks := csvBlocks(readShared(t, "opencollective-transactions-csv-headers.txt"))
	if len(blocks) != 4 {
		t.Fatalf("%d CSV blocks in the headers file, want 4 (raw keys, labels, the 2023 export, the members export)", len(blocks))
	}
	// The transactions variants: every header is understood.
	for i, b := range blocks[:3] {
		if _, err := ReadOpenCollective(strings.NewReader(b), time.UTC); err != nil {
			t.Errorf("variant %d: %v", i+1, err)
		}
	}
	// The real 2023 rows: a contribution, and the host fee taken from it.
	e, err := ReadOpenCollective(strings.NewReader(blocks[2]), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{{ID: "opencollective:d3f98b95", Payer: "guest-cf5e5bf5", Amount: "50.00", Currency: "USD", Date: ledger.MustDate("2023-06-06"), Line: 2}}
	if !reflect.DeepEqual(e.Records, want) {
		t.Errorf("records %+v, want %+v", e.Records, want)
	}
	if len(e.Skipped) != 1 || e.Skipped[0].ID != "opencollective:e3c0d1f9" || e.Skipped[0].Detail != "DEBIT HOST_FEE" {
		t.Errorf("skipped %+v", e.Skipped)
	}
	// The members export is refused with a pointer to the right one.
	if _, err := ReadOpenCollective(strings.NewReader(blocks[3]), time.UTC); err == nil || !strings.Contains(err.Error(), "members export") {
		t.Errorf("members export: %v", err)
	}
}

func TestConformanceSponsors(t *testing.T) {
	blocks := csvBlocks(readShared(t, "github-sponsors-export-csv-header.txt"))
	if len(blocks) == 0 {
		t.Fatal("no CSV in the sponsors file")
	}
	e, err := ReadSponsors(strings.NewReader(blocks[0]), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// 21:46:01 +0200 is 19:46 UTC, the same day; the first is prorated.
	want := []Record{
		{ID: "github-sponsors:ch_3N5DWnEQsq43iHhX1Svht2g7", Payer: "sponsor-one", Amount: "4.52", Currency: "USD", Date: ledger.MustDate("2023-05-07"), Line: 2},
		{ID: "github-sponsors:ch_3NExsXEQsq43iHhX0Fmfcg6w", Payer: "sponsor-two", Amount: "3.00", Currency: "USD", Date: ledger.MustDate("2023-06-03"), Line: 3},
	}
	if !reflect.DeepEqual(e.Records, want) || len(e.Skipped) != 0 {
		t.Errorf("records %+v, skipped %+v; want %+v", e.Records, e.Skipped, want)
	}
}
