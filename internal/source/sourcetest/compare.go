package sourcetest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// Lines are credits as "id who kind date", one a line, to compare with
// what a test expects.
func Lines(credits []ledger.Credit) string {
	var b strings.Builder
	for _, c := range credits {
		fmt.Fprintf(&b, "%s %s %s %s\n", c.ID, c.Who, c.Kind, c.Date)
	}
	return b.String()
}

// Written is what ingestion writes into the ledger at dir, credits/ and
// sources/, as one text: two ledgers that got the same credits and marks
// read the same.
func Written(tb testing.TB, dir string) string {
	tb.Helper()
	var b strings.Builder
	for _, sub := range []string{"credits", "sources"} {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(&b, "-- %s --\n%s", filepath.ToSlash(rel), data)
			return err
		})
		if err != nil && !os.IsNotExist(err) {
			tb.Fatal(err)
		}
	}
	return b.String()
}
