package partner

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"sort"
	"strings"
)

// BigMacRow is one row of The Economist's raw Big Mac index
// (output-data/big-mac-raw-index.csv): one country in one release. Numbers
// are kept as the CSV writes them, so that they are computed with exactly.
type BigMacRow struct {
	Line        int    // line in the CSV, for messages
	Date        string // release date, YYYY-MM-DD
	ISO3        string // ISO 3166-1 alpha-3, or EUZ for the euro area
	Currency    string // ISO 4217
	Name        string
	DollarEx    string // units of the currency per US dollar
	DollarPrice string // price of a Big Mac in US dollars
}

// bigMacColumns are the columns read, by name; the others (the index
// values against USD, EUR...) are not needed.
var bigMacColumns = []string{"date", "iso_a3", "currency_code", "dollar_ex", "dollar_price"}

// ReadBigMac reads the raw index CSV. Columns are found by their names in
// the header, so that a reordered or extended file reads the same.
func ReadBigMac(r io.Reader) ([]BigMacRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the Big Mac index CSV is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the Big Mac index CSV: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	var missing []string
	for _, c := range bigMacColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the CSV has no column %s; is it the raw index (big-mac-raw-index.csv), whose header starts with date,iso_a3,currency_code,name,local_price,dollar_ex,dollar_price?",
			strings.Join(missing, ", "))
	}
	nameCol, hasName := col["name"]
	var rows []BigMacRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the Big Mac index CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		field := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := BigMacRow{
			Line:        line,
			Date:        field("date"),
			ISO3:        field("iso_a3"),
			Currency:    field("currency_code"),
			DollarEx:    field("dollar_ex"),
			DollarPrice: field("dollar_price"),
		}
		if hasName && nameCol < len(rec) {
			row.Name = strings.TrimSpace(rec[nameCol])
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// Releases lists the release dates of the rows, oldest first.
func Releases(rows []BigMacRow) []string {
	seen := map[string]bool{}
	var dates []string
	for _, r := range rows {
		if !seen[r.Date] {
			seen[r.Date] = true
			dates = append(dates, r.Date)
		}
	}
	sort.Strings(dates)
	return dates
}

// nearestReleases names the releases just before and just after date, for
// an error message when date is not a release.
func nearestReleases(releases []string, date string) []string {
	i := sort.SearchStrings(releases, date)
	var near []string
	if i > 0 {
		near = append(near, releases[i-1])
	}
	if i < len(releases) {
		near = append(near, releases[i])
	}
	return near
}

// decimalRe is the decimal notation the index uses, exponents included
// (one row of 2002 writes a price as 4e+06).
var decimalRe = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// parseDecimal reads a decimal exactly, as a rational: never through a
// float.
func parseDecimal(s string) (*big.Rat, bool) {
	if !decimalRe.MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// plainDecimalRe is how the ledger writes an amount.
var plainDecimalRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// plainDecimal writes a decimal from the CSV as the ledger accepts it: as
// written when it already is plain ("1.49264870512725"), else expanded
// exactly ("4e+06" gives "4000000").
func plainDecimal(text string, r *big.Rat) string {
	if plainDecimalRe.MatchString(text) {
		return text
	}
	for places := 0; places <= 40; places++ {
		if scaledRat(r, places).IsInt() {
			return r.FloatString(places)
		}
	}
	return r.FloatString(40)
}

// scaledRat is r × 10^places.
func scaledRat(r *big.Rat, places int) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	return new(big.Rat).Mul(r, new(big.Rat).SetInt(p))
}

// roundHalfAway writes r with the given number of decimals, rounding half
// away from zero, as money is rounded.
func roundHalfAway(r *big.Rat, places int) string {
	s := scaledRat(r, places)
	neg := s.Sign() < 0
	num := new(big.Int).Abs(s.Num())
	// floor(|s| + 1/2) = floor((2·num + den) / (2·den))
	twice := new(big.Int).Lsh(num, 1)
	twice.Add(twice, s.Denom())
	q := new(big.Int).Quo(twice, new(big.Int).Lsh(s.Denom(), 1))
	digits := q.String()
	if places > 0 {
		if len(digits) <= places {
			digits = strings.Repeat("0", places-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-places] + "." + digits[len(digits)-places:]
	}
	if neg && q.Sign() != 0 {
		digits = "-" + digits
	}
	return digits
}
