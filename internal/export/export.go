// Package export writes the resolved ledger as tables for analysts: every
// credit with the person and organisation it counts for and its score,
// and every payment with its amount in US cents, as Parquet or JSON Lines
// files that DuckDB, pandas or BigQuery read as they are. The schema is in
// docs/export.md; the rows are those every report counts.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
)

// Credit is one row of the credits table.
type Credit struct {
	ID string `parquet:"id" json:"id"`
	// Who is the credit's who as written, Person the person it resolves
	// to; both are null for a person who is anonymous or hidden, whom no
	// report names either.
	Who    *string `parquet:"who,optional" json:"who"`
	Person *string `parquet:"person,optional" json:"person"`
	// Organization is the organisation the credit counts for, and
	// Attribution why: explicit (the credit names it), affiliation (the
	// person's on the credit's date) or none.
	Organization *string `parquet:"organization,optional" json:"organization"`
	Attribution  string  `parquet:"attribution,dict" json:"attribution"`
	Kind         string  `parquet:"kind,dict" json:"kind"`
	Date         int32   `parquet:"date,date" json:"-"`
	DateText     string  `parquet:"-" json:"date"`
	// Weight is the kind's weight on the date; Score what the credit
	// scored: the weight, or 0 past the monthly cap (Capped) or for a bot
	// (Bot).
	Weight  int32   `parquet:"weight" json:"weight"`
	Score   int32   `parquet:"score" json:"score"`
	Capped  bool    `parquet:"capped" json:"capped"`
	Bot     bool    `parquet:"bot" json:"bot"`
	Project *string `parquet:"project,optional,dict" json:"project"`
	URL     *string `parquet:"url,optional" json:"url"`
	Title   *string `parquet:"title,optional" json:"title"`
	// Facts is a JSON object of the credit's facts, each value as
	// written; in JSON Lines, the object itself.
	Facts string          `parquet:"facts,json" json:"-"`
	Map   json.RawMessage `parquet:"-" json:"facts"`
	// File is the ledger file the credit is written in.
	File string `parquet:"file,dict" json:"file"`
}

// Payment is one row of the payments table.
type Payment struct {
	ID    string  `parquet:"id" json:"id"`
	Org   *string `parquet:"organization,optional" json:"organization"`
	Payer *string `parquet:"payer,optional" json:"payer"`
	// Amount is the decimal amount as a string ("100.00"), exact;
	// USDCents the same in US cents with thresholds.yaml's rates, null
	// for a currency that has none.
	Amount   string `parquet:"amount" json:"amount"`
	Currency string `parquet:"currency,dict" json:"currency"`
	USDCents *int64 `parquet:"usd_cents,optional" json:"usd_cents"`
	Date     int32  `parquet:"date,date" json:"-"`
	DateText string `parquet:"-" json:"date"`
	// Months is how many months the payment pays for, from its date's.
	Months int32   `parquet:"months" json:"months"`
	Source string  `parquet:"source,dict" json:"source"`
	URL    *string `parquet:"url,optional" json:"url"`
	Note   *string `parquet:"note,optional" json:"note"`
	File   string  `parquet:"file,dict" json:"file"`
}

// Format is the file format of an export.
type Format string

const (
	Parquet Format = "parquet"
	JSONL   Format = "jsonl"
)

// Tables resolves a scored ledger's credits and payments into rows, in
// the ledger's order (by file, then as written).
func Tables(b *score.Book) ([]Credit, []Payment) {
	l := b.Ledger
	credits := make([]Credit, len(l.Credits))
	for i := range l.Credits {
		c, s := &l.Credits[i], &b.Credits[i]
		con := &b.Contributors[s.Contributor]
		row := Credit{ID: c.ID, Attribution: s.By.String(), Kind: c.Kind, Date: days(c.Date), DateText: c.Date.String(),
			Weight: s.Weight, Score: s.Score, Capped: s.Capped, Bot: s.Bot, Project: text(c.Project), URL: text(c.URL),
			Title: text(c.Title), Organization: text(s.Org), File: l.Files[c.File]}
		if !con.Anonymous() && (con.Person == nil || con.Person.Visibility != "hidden") {
			row.Who = text(c.Who)
			if con.Person != nil {
				row.Person = &con.Person.ID
			}
		}
		row.Map = factsJSON(c.Facts)
		row.Facts = string(row.Map)
		credits[i] = row
	}
	payments := make([]Payment, len(l.Payments))
	for i := range l.Payments {
		p := &l.Payments[i]
		row := Payment{ID: p.ID, Org: text(p.Org), Payer: text(p.Payer), Amount: p.Amount.String(), Currency: p.Currency,
			Date: days(p.Date), DateText: p.Date.String(), Months: int32(max(p.Months, 1)), Source: p.Source,
			URL: text(p.URL), Note: text(p.Note), File: l.Files[p.File]}
		if cents, ok := partner.USDCents(l.Thresholds, p.Amount, p.Currency); ok {
			row.USDCents = &cents
		}
		payments[i] = row
	}
	return credits, payments
}

// days is a date as Parquet's DATE: days since 1970-01-01.
func days(d ledger.Date) int32 { return int32(d.Time().Unix() / 86400) }

// text is a string column's value: null for "".
func text(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// factsJSON writes facts as one JSON object, in key order (the order
// they are loaded in).
func factsJSON(facts []ledger.Fact) json.RawMessage {
	if len(facts) == 0 {
		return json.RawMessage("{}")
	}
	b := []byte{'{'}
	for i, f := range facts {
		if i > 0 {
			b = append(b, ',')
		}
		b = report.AppendJSONString(b, f.Key)
		b = append(b, ':')
		b = report.AppendJSONString(b, f.Value)
	}
	return append(b, '}')
}

// Summary counts what Write did to the files.
type Summary struct {
	Written, Unchanged int
	Credits, Payments  int
}

// Write writes credits and payments tables into dir, as credits.<ext>
// and payments.<ext>, each atomically and only when its bytes change.
func Write(b *score.Book, format Format, dir string) (Summary, error) {
	credits, payments := Tables(b)
	sum := Summary{Credits: len(credits), Payments: len(payments)}
	var files [2][]byte
	var err error
	switch format {
	case Parquet:
		if files[0], err = parquetBytes(credits); err == nil {
			files[1], err = parquetBytes(payments)
		}
	case JSONL:
		if files[0], err = jsonLines(credits); err == nil {
			files[1], err = jsonLines(payments)
		}
	default:
		return sum, fmt.Errorf("format %q is not parquet or jsonl", format)
	}
	if err != nil {
		return sum, err
	}
	for i, name := range []string{"credits", "payments"} {
		changed, err := atomicfile.Update(filepath.Join(dir, name+"."+string(format)), files[i], 0o644)
		if err != nil {
			return sum, err
		}
		if changed {
			sum.Written++
		} else {
			sum.Unchanged++
		}
	}
	return sum, nil
}

// parquetBytes writes rows as a Parquet file, compressed with Snappy,
// which every reader supports.
func parquetBytes[T any](rows []T) ([]byte, error) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, parquet.Compression(&parquet.Snappy))
	if _, err := w.Write(rows); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// jsonLines writes one JSON object per row, as encoding/json writes the
// rows (with HTML escaping off), by hand: a million credits would take
// encoding/json several times longer.
func jsonLines[T Credit | Payment](rows []T) ([]byte, error) {
	b := make([]byte, 0, len(rows)*256)
	for i := range rows {
		switch r := any(&rows[i]).(type) {
		case *Credit:
			b = r.appendJSON(b)
		case *Payment:
			b = r.appendJSON(b)
		}
		b = append(b, '\n')
	}
	return b, nil
}

// line writes the members of one JSON object.
type line struct{ b []byte }

func (l *line) key(k string) {
	if len(l.b) > 0 && l.b[len(l.b)-1] != '{' {
		l.b = append(l.b, ',')
	}
	l.b = append(l.b, '"')
	l.b = append(l.b, k...)
	l.b = append(l.b, '"', ':')
}

func (l *line) str(k, v string) { l.key(k); l.b = report.AppendJSONString(l.b, v) }

func (l *line) opt(k string, v *string) {
	if v == nil {
		l.key(k)
		l.b = append(l.b, "null"...)
		return
	}
	l.str(k, *v)
}

func (l *line) num(k string, v int64) { l.key(k); l.b = strconv.AppendInt(l.b, v, 10) }

func (l *line) boolean(k string, v bool) { l.key(k); l.b = strconv.AppendBool(l.b, v) }

func (c *Credit) appendJSON(b []byte) []byte {
	l := line{append(b, '{')}
	l.str("id", c.ID)
	l.opt("who", c.Who)
	l.opt("person", c.Person)
	l.opt("organization", c.Organization)
	l.str("attribution", c.Attribution)
	l.str("kind", c.Kind)
	l.str("date", c.DateText)
	l.num("weight", int64(c.Weight))
	l.num("score", int64(c.Score))
	l.boolean("capped", c.Capped)
	l.boolean("bot", c.Bot)
	l.opt("project", c.Project)
	l.opt("url", c.URL)
	l.opt("title", c.Title)
	l.key("facts")
	l.b = append(l.b, c.Map...)
	l.str("file", c.File)
	return append(l.b, '}')
}

func (p *Payment) appendJSON(b []byte) []byte {
	l := line{append(b, '{')}
	l.str("id", p.ID)
	l.opt("organization", p.Org)
	l.opt("payer", p.Payer)
	l.str("amount", p.Amount)
	l.str("currency", p.Currency)
	if p.USDCents == nil {
		l.key("usd_cents")
		l.b = append(l.b, "null"...)
	} else {
		l.num("usd_cents", *p.USDCents)
	}
	l.str("date", p.DateText)
	l.num("months", int64(p.Months))
	l.str("source", p.Source)
	l.opt("url", p.URL)
	l.opt("note", p.Note)
	l.str("file", p.File)
	return append(l.b, '}')
}

// ParseFormat reads --format.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Parquet, JSONL:
		return f, nil
	}
	return "", fmt.Errorf("--format %q: use parquet or jsonl", s)
}
