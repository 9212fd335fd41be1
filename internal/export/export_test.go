package export

import (
	"bytes"
	"encoding/json"
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

// TestJSONLinesAsEncodingJSON: the hand-written JSON Lines are what
// encoding/json writes for the same rows.
func TestJSONLinesAsEncodingJSON(t *testing.T) {
	credits, payments := Tables(load(t, "../../ledger"))
	name := "tab\t\"quoted\" <b>é\u2028"
	credits[0].Title, credits[0].Map = &name, factsJSON([]ledger.Fact{{Key: "note", Value: name}})
	for _, c := range []struct {
		got  func() ([]byte, error)
		rows any
	}{
		{func() ([]byte, error) { return jsonLines(credits) }, credits},
		{func() ([]byte, error) { return jsonLines(payments) }, payments},
	} {
		got, err := c.got()
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		switch rows := c.rows.(type) {
		case []Credit:
			for i := range rows {
				enc.Encode(&rows[i])
			}
		case []Payment:
			for i := range rows {
				enc.Encode(&rows[i])
			}
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("JSON Lines differ from encoding/json's:\n got %.600s\nwant %.600s", got, want.Bytes())
		}
	}
}
