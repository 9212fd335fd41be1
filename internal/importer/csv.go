package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
)

// table is a CSV export whose columns are found by name: exports change
// their column order, add columns, and some name them by key (shortId),
// others by label (Short Transaction ID).
type table struct {
	cols  map[string]int // normalised name -> index
	rows  [][]string
	lines []int
}

func readTable(r io.Reader) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, err
	}
	t := &table{cols: map[string]int{}}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		if n := norm(h); n != "" {
			if _, dup := t.cols[n]; !dup {
				t.cols[n] = i
			}
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// norm makes a column name comparable: "Date & Time" and "datetime" are
// both "datetime", "Is Yearly?" and "is_yearly" both "isyearly".
func norm(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// col returns the index of the first of names present, or -1.
func (t *table) col(names ...string) int {
	for _, n := range names {
		if i, ok := t.cols[norm(n)]; ok {
			return i
		}
	}
	return -1
}

// get returns a row's value in column i, trimmed; "" when there is none.
func get(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// amountRe is a decimal amount as exports write it, after currency signs
// and thousands separators are taken off.
var amountRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

var thousandsRe = regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`)

// amount reads an exported amount ("50", "47.5", "$1,000.00", "-$5.00")
// exactly and writes it with the currency's minor digits ("50.00"). The
// reason is set when it cannot be a payment.
func amount(text, currency string) (out string, reason string) {
	s := strings.TrimSpace(text)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.TrimSpace(strings.TrimLeft(s, "$€£"))
	s = strings.TrimSpace(strings.TrimSuffix(s, currency))
	if neg {
		s = "-" + s
	}
	if thousandsRe.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	if !amountRe.MatchString(s) {
		return "", fmt.Sprintf("the amount %q is not a decimal", text)
	}
	minor, ok := iso.Currency(currency)
	if !ok {
		return "", fmt.Sprintf("%q is not an ISO 4217 currency", currency)
	}
	r, _ := new(big.Rat).SetString(s)
	switch r.Sign() {
	case 0:
		return "", "nothing paid (0)"
	case -1:
		return "", fmt.Sprintf("a negative amount (%s)", text)
	}
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(minor)), nil)))
	if !scaled.IsInt() {
		return "", fmt.Sprintf("the amount %s has more decimals than %s has (%d)", text, currency, minor)
	}
	return r.FloatString(minor), ""
}

// timeLayouts are the ways exports write when something happened.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05.000Z07:00",
}

// day reads a timestamp or a date and returns the calendar date it falls
// on in the program's time zone; a timestamp without a zone is UTC, as
// exports write them.
func day(text string, loc *time.Location) (ledger.Date, bool) {
	text = strings.TrimSpace(text)
	if d, err := ledger.ParseDate(text); err == nil {
		return d, true
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			t = t.In(loc)
			return ledger.Date(t.Year()*10000 + int(t.Month())*100 + t.Day()), true
		}
	}
	return 0, false
}

// truthy reads the flags exports write: "REFUND", "true", "TRUE", "yes".
func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "no", "0", "n":
		return false
	}
	return true
}
