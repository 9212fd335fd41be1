package export

import (
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

func load(t testing.TB, dir string) *score.Book {
	t.Helper()
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(findings, check.Run(l)...) {
		t.Fatal(f)
	}
	return score.New(l)
}

func ledgerDate(t *testing.T, tm time.Time) ledger.Date {
	d, err := ledger.ParseDate(tm.Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
