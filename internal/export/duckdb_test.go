//go:build cgo

package export

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	scorepkg "github.com/tallyledger/tally/internal/score"
)

// openDuckDB opens an in-memory DuckDB, the independent reader the
// tables are checked with, or skips the test when it cannot load.
func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		t.Skipf("DuckDB could not load (%v): skipping the check of the exported tables with an independent reader", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestDuckDBReadsTheTables exports the bundled ledger in both formats
// and reads every row back with DuckDB: each column must hold what the
// ledger resolves to.
func TestDuckDBReadsTheTables(t *testing.T) {
	db := openDuckDB(t)
	b := load(t, "../../ledger")
	credits, payments := Tables(b)
	for _, format := range []Format{Parquet, JSONL} {
		t.Run(string(format), func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Write(b, format, dir); err != nil {
				t.Fatal(err)
			}
			file := func(name string) string {
				path := "'" + filepath.Join(dir, name+"."+string(format)) + "'"
				if format == JSONL {
					// The facts stay JSON rather than become an inferred struct.
					return "read_json(" + path + ", columns = " + jsonColumns[name] + ")"
				}
				return "read_parquet(" + path + ")"
			}

			rows, err := db.Query(`select id, who, person, organization, attribution, kind, date, weight, score, capped, bot,
				project, url, title, to_json(facts)::varchar, file from ` + file("credits"))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for ; rows.Next(); n++ {
				var got Credit
				var date time.Time
				var facts string
				if err := rows.Scan(&got.ID, &got.Who, &got.Person, &got.Organization, &got.Attribution, &got.Kind, &date,
					&got.Weight, &got.Score, &got.Capped, &got.Bot, &got.Project, &got.URL, &got.Title, &facts, &got.File); err != nil {
					t.Fatal(err)
				}
				want := credits[n]
				got.Date, got.DateText = days(ledgerDate(t, date)), date.Format(time.DateOnly)
				if !sameJSON(t, facts, want.Facts) {
					t.Errorf("row %d (%s): facts %s, want %s", n, want.ID, facts, want.Facts)
				}
				got.Facts, got.Map, want.Map = want.Facts, nil, nil
				if !equalCredits(got, want) {
					t.Errorf("row %d:\n got %+v\nwant %+v", n, show(got), show(want))
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != len(credits) {
				t.Errorf("DuckDB read %d credits, want %d", n, len(credits))
			}

			rows, err = db.Query(`select id, organization, payer, amount, currency, usd_cents, date, months, source, url, note, file from ` + file("payments"))
			if err != nil {
				t.Fatal(err)
			}
			n = 0
			for ; rows.Next(); n++ {
				var got Payment
				var date time.Time
				if err := rows.Scan(&got.ID, &got.Org, &got.Payer, &got.Amount, &got.Currency, &got.USDCents, &date, &got.Months,
					&got.Source, &got.URL, &got.Note, &got.File); err != nil {
					t.Fatal(err)
				}
				want := payments[n]
				got.Date, got.DateText = days(ledgerDate(t, date)), date.Format(time.DateOnly)
				if show(got) != show(want) {
					t.Errorf("payment %d:\n got %s\nwant %s", n, show(got), show(want))
				}
			}
			if n != len(payments) {
				t.Errorf("DuckDB read %d payments, want %d", n, len(payments))
			}
			// What an analyst asks, against what the reports say.
			var score, hidden int
			if err := db.QueryRow(`select sum(score), count(*) filter (where person = 'anja-keller' or who ilike '%akeller%') from `+
				file("credits")+` where not bot`).Scan(&score, &hidden); err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, y := range b.Periods(scorepkg.Annual, b.Months[len(b.Months)-1]) {
				want += b.Tallies(y).Score
			}
			if score != want || hidden != 0 {
				t.Errorf("DuckDB sums a score of %d (the reports: %d) and finds %d credits naming a hidden person", score, want, hidden)
			}
			var cents int64
			if err := db.QueryRow(`select sum(usd_cents) from ` + file("payments") + ` where currency = 'USD'`).Scan(&cents); err != nil || cents <= 0 {
				t.Errorf("sum of US payments: %d (%v)", cents, err)
			}
		})
	}
}

// jsonColumns types the columns of the JSON Lines tables for DuckDB.
var jsonColumns = map[string]string{
	"credits": `{id: 'VARCHAR', who: 'VARCHAR', person: 'VARCHAR', organization: 'VARCHAR', attribution: 'VARCHAR',
		kind: 'VARCHAR', date: 'DATE', weight: 'INTEGER', score: 'INTEGER', capped: 'BOOLEAN', bot: 'BOOLEAN',
		project: 'VARCHAR', url: 'VARCHAR', title: 'VARCHAR', facts: 'JSON', file: 'VARCHAR'}`,
	"payments": `{id: 'VARCHAR', organization: 'VARCHAR', payer: 'VARCHAR', amount: 'VARCHAR', currency: 'VARCHAR',
		usd_cents: 'BIGINT', date: 'DATE', months: 'INTEGER', source: 'VARCHAR', url: 'VARCHAR', note: 'VARCHAR', file: 'VARCHAR'}`,
}

func sameJSON(t *testing.T, a, b string) bool {
	var x, y map[string]any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return show(x) == show(y)
}

func equalCredits(a, b Credit) bool { return show(a) == show(b) }

func show(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(out)
}
