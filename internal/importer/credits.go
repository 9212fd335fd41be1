package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/suggest"
)

// creditColumns are the fields of a credit a credits file may give.
var creditColumns = []string{"id", "who", "kind", "date", "url", "title", "project", "org"}

// sourceRe is a shard's source name.
var sourceRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// RowError is a row of a credits file that cannot be imported, at its
// line in the file.
type RowError struct {
	Line    int
	Message string
}

// CreditsImport is what a credits file holds for the ledger.
type CreditsImport struct {
	Rows int
	// Credits are the rows the ledger does not hold yet.
	Credits []ledger.Credit
	// Present counts rows the ledger already holds; Twice rows that repeat
	// an earlier row of the file, id and all.
	Present, Twice int
	// Errors are the rows that cannot be imported; with any, nothing is.
	Errors []RowError
}

// creditRow is one row as written, and its line.
type creditRow struct {
	line   int
	fields map[string]string
}

// ReadCredits reads a credits file (CSV with a header row, or JSON Lines;
// see readRows) for the ledger at dir, loaded by LoadCreditLedger, and
// checks every new row as the ledger checks a credit: schema, kind defined
// on its date, who and org. Rows without an id get one from their
// content: <source>:<12 hex digits of a SHA-256 of the fields>, and -2, -3
// for the second and third row with the same fields (two identical rows
// are two contributions). Nothing is written.
func ReadCredits(dir string, l *ledger.Ledger, source, name string, data []byte) (*CreditsImport, error) {
	if !sourceRe.MatchString(source) {
		return nil, fmt.Errorf("--source %q is not a source name: lowercase letters, digits and dashes, such as savannah", source)
	}
	loc, err := l.Program.Location()
	if err != nil {
		return nil, err
	}
	rows, errs := readRows(name, data)
	imp := &CreditsImport{Rows: len(rows), Errors: errs}
	held := heldIDs(l)
	type first struct {
		line    int
		content string
	}
	seen := map[string]first{}
	occurrences := map[string]int{}
	var lines []int // of the new credits
	for _, r := range rows {
		f := r.fields
		c := ledger.Credit{ID: f["id"], Who: f["who"], Kind: f["kind"], URL: f["url"], Title: f["title"], Project: f["project"], Org: f["org"]}
		if missing := missingFields(f); missing != "" {
			imp.Errors = append(imp.Errors, RowError{r.line, missing})
			continue
		}
		d, ok := day(f["date"], loc)
		if !ok {
			imp.Errors = append(imp.Errors, RowError{r.line, fmt.Sprintf("date: %q is not a date YYYY-MM-DD (nor a time such as 2026-10-03T14:00:00Z)", f["date"])})
			continue
		}
		c.Date = d
		content := canonical(c)
		if c.ID == "" {
			sum := sha256.Sum256([]byte(content))
			c.ID = source + ":" + hex.EncodeToString(sum[:])[:12]
			if occurrences[c.ID]++; occurrences[c.ID] > 1 {
				c.ID += fmt.Sprintf("-%d", occurrences[c.ID])
			}
		}
		if prev, dup := seen[c.ID]; dup {
			if prev.content != content {
				imp.Errors = append(imp.Errors, RowError{r.line, fmt.Sprintf("id %q is also on line %d, with other fields; give each credit its own id", c.ID, prev.line)})
			} else {
				imp.Twice++
			}
			continue
		}
		seen[c.ID] = first{r.line, content}
		if held[c.ID] {
			imp.Present++
			continue
		}
		imp.Credits = append(imp.Credits, c)
		lines = append(lines, r.line)
	}
	checked, err := checkCredits(dir, source, imp.Credits, lines)
	if err != nil {
		return nil, err
	}
	imp.Errors = append(imp.Errors, checked...)
	slices.SortStableFunc(imp.Errors, func(a, b RowError) int { return a.Line - b.Line })
	return imp, nil
}

// missingFields says which fields every credit has that a row lacks, or "".
func missingFields(f map[string]string) string {
	var missing []string
	for _, k := range []string{"who", "kind", "date"} {
		if f[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: missing; every credit says who earned it (a person id or platform:handle), its kind and its date", strings.Join(missing, ", "))
}

// canonical is the content of a credit that its generated id hashes.
func canonical(c ledger.Credit) string {
	return strings.Join([]string{c.Who, c.Kind, c.Date.String(), c.URL, c.Title, c.Project, c.Org}, "\x1f")
}

// checkCredits judges new credits as tally validate would once they are
// written: it reads the ledger as if shards holding only them were in it
// and keeps the findings about them, each at the line of its row.
func checkCredits(dir, source string, credits []ledger.Credit, lines []int) ([]RowError, error) {
	extra := map[string][]byte{}
	rowAt := map[string]map[int]int{} // shard -> its line -> the row's line
	for i, c := range credits {
		file := creditShard(source, c.Date)
		if extra[file] == nil {
			extra[file] = []byte("credits:\n")
			rowAt[file] = map[int]int{}
		}
		start := bytes.Count(extra[file], []byte("\n")) + 1
		e := ledger.CreditEntry(c)
		for k := range e.Fields {
			rowAt[file][start+k] = lines[i]
		}
		extra[file] = append(extra[file], ledger.RenderEntry(e.Fields, "  ", false, "\n")...)
	}
	if len(extra) == 0 {
		return nil, nil
	}
	include := func(p string) bool {
		_, added := extra[p]
		return added || p == "program.yaml" || strings.HasPrefix(p, "people/") || strings.HasPrefix(p, "organizations/")
	}
	l, findings, err := ledger.LoadAdding(dir, extra, ledger.Options{Include: include})
	if err != nil {
		return nil, fmt.Errorf("cannot read the ledger: %w", err)
	}
	var errs []RowError
	for _, f := range append(findings, check.Run(l)...) {
		at, ok := rowAt[f.Path]
		if !ok {
			continue // the ledger's own findings: tally validate reports them
		}
		line, ok := at[f.Line]
		if !ok {
			line = lines[0]
		}
		errs = append(errs, RowError{line, rowMessage(f.Message)})
	}
	return errs, nil
}

var entryPathRe = regexp.MustCompile(`^credits\[[0-9]+\](\.|: )?`)

// rowMessage is a finding's message about a shard entry, said of a row:
// "credits[3].who: ..." is "who: ...".
func rowMessage(msg string) string { return entryPathRe.ReplaceAllString(msg, "") }

// readRows reads a credits file: JSON Lines when its name ends in .jsonl
// or .ndjson, CSV when it ends in .csv, else whichever its first
// character says.
func readRows(name string, data []byte) ([]creditRow, []RowError) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return readJSONLines(data)
	case ".csv":
		return readCSV(data)
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return readJSONLines(data)
	}
	return readCSV(data)
}

func readCSV(data []byte) ([]creditRow, []RowError) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []RowError{{1, "the file is empty; the first line names the columns: " + strings.Join(creditColumns, ",")}}
	}
	if err != nil {
		return nil, []RowError{{csvLine(err, 1), csvMessage(err)}}
	}
	cols := make([]string, len(header))
	var errs []RowError
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if msg := columnProblem(h, cols[:i]); msg != "" {
			errs = append(errs, RowError{1, msg})
		}
		cols[i] = h
	}
	for _, need := range []string{"who", "kind", "date"} {
		if !slices.Contains(cols, need) {
			errs = append(errs, RowError{1, fmt.Sprintf("no column %q; a credit needs who, kind and date", need)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []creditRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, RowError{csvLine(err, 0), csvMessage(err)})
			if !errors.Is(err, csv.ErrFieldCount) {
				break // the rest cannot be read reliably
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > len(cols) {
			errs = append(errs, RowError{line, fmt.Sprintf("%d fields, but the header names %d columns", len(rec), len(cols))})
			continue
		}
		f := map[string]string{}
		for i, v := range rec {
			if v = strings.TrimSpace(v); v != "" {
				f[cols[i]] = v
			}
		}
		rows = append(rows, creditRow{line, f})
	}
	return rows, errs
}

func csvLine(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return fallback
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not CSV: " + pe.Err.Error()
	}
	return err.Error()
}

// columnProblem says what is wrong with a column name, or "".
func columnProblem(name string, before []string) string {
	switch {
	case slices.Contains(before, name):
		return fmt.Sprintf("column %q is named twice", name)
	case !slices.Contains(creditColumns, name):
		msg := fmt.Sprintf("unknown column %q", name)
		if m := suggest.Closest(name, creditColumns); m != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", m)
		}
		return msg + "; a credit's fields are " + strings.Join(creditColumns, ", ")
	}
	return ""
}

func readJSONLines(data []byte) ([]creditRow, []RowError) {
	var rows []creditRow
	var errs []RowError
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' {
			errs = append(errs, RowError{n, "not a JSON object; JSON Lines has one object per line, such as {\"who\": \"github:alice\", \"kind\": \"talk\", \"date\": \"2026-10-03\"}"})
			continue
		}
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(line))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil || d.More() {
			errs = append(errs, RowError{n, "not a JSON object: " + jsonProblem(err)})
			continue
		}
		f := map[string]string{}
		bad := false
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if msg := columnProblem(k, nil); msg != "" {
				errs = append(errs, RowError{n, strings.Replace(msg, "column", "key", 1)})
				bad = true
				continue
			}
			switch v := obj[k].(type) {
			case nil:
			case string:
				if v = strings.TrimSpace(v); v != "" {
					f[k] = v
				}
			default:
				errs = append(errs, RowError{n, fmt.Sprintf("%s: expected a string, got %s", k, jsonType(v))})
				bad = true
			}
		}
		if !bad {
			rows = append(rows, creditRow{n, f})
		}
	}
	return rows, errs
}

func jsonProblem(err error) string {
	if err == nil {
		return "more than one value on the line"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at character %d)", se, se.Offset)
	}
	return err.Error()
}

func jsonType(v any) string {
	switch v.(type) {
	case json.Number:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	}
	return "an object"
}
