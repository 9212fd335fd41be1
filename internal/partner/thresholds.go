// Package partner holds the rules that decide who may be a partner. For now
// that is the minimum monthly payment per country (thresholds.yaml), made
// fair with The Economist's Big Mac index; eligibility and standing will
// join it.
package partner

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
)

// BigMacNotice is the licence notice of the Big Mac index data, recorded in
// every thresholds.yaml made from it.
const BigMacNotice = "Big Mac index data: Copyright (c) 2018 The Economist Newspaper, published " +
	"under the MIT licence at https://github.com/TheEconomist/big-mac-data"

// DefaultBase is the monthly minimum in the United States, in US dollars.
const DefaultBase = "100"

// DefaultFallbackUSD is the minimum of a country with no figure at all,
// unless thresholds.yaml already sets another.
const DefaultFallbackUSD = "100"

const thresholdsSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/thresholds.schema.json"

// euroAreaISO3 is the index's row for the euro area as a whole.
const euroAreaISO3 = "EUZ"

// ThresholdsInput is what thresholds.yaml is made from.
type ThresholdsInput struct {
	Rows []BigMacRow
	// Date is the release to use, YYYY-MM-DD.
	Date string
	// Base is the monthly minimum in the United States, in US dollars, as
	// a decimal ("100"); "" keeps the current file's, or DefaultBase.
	Base string
	// CSVName is the name of the index file, recorded in the header.
	CSVName string
	// Existing is the current thresholds.yaml, or nil: its overrides are
	// kept as written, and its fallback_usd.
	Existing []byte
}

// Thresholds is a generated thresholds.yaml.
type Thresholds struct {
	File []byte
	// Countries counts the countries with a minimum of their own.
	Countries int
	EuroArea  bool
	// Overrides lists the countries of the overrides kept.
	Overrides []string
	// Warnings are rows left out, or written in US dollars only.
	Warnings []string
}

// minimum is one computed minimum, ready to write.
type minimum struct {
	usd, local, currency string
}

// BuildThresholds computes the minimum of every country of a release:
// base × dollar_price(country) / dollar_price(USA), in US dollars rounded
// half away from zero to cents, and the same unrounded figure times the
// country's dollar_ex, rounded to the minor unit of its currency. It is
// computed exactly from the CSV's decimal text. The output is the same
// bytes for the same input.
func BuildThresholds(in ThresholdsInput) (*Thresholds, error) {
	if _, err := ledger.ParseDate(in.Date); err != nil {
		return nil, err
	}
	kept, err := readExisting(in.Existing)
	if err != nil {
		return nil, err
	}
	if in.Base == "" {
		in.Base = cmp.Or(kept.base, DefaultBase)
	}
	base, ok := parseDecimal(in.Base)
	if !ok || base.Sign() <= 0 || !plainDecimalRe.MatchString(in.Base) {
		return nil, fmt.Errorf("the base amount %q is not a positive decimal such as 100", in.Base)
	}
	var rows []BigMacRow
	for _, r := range in.Rows {
		if r.Date == in.Date {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		releases := Releases(in.Rows)
		if len(releases) == 0 {
			return nil, errors.New("the Big Mac index CSV has no rows")
		}
		return nil, fmt.Errorf("the Big Mac index has no release dated %s; the nearest are %s (%d releases, %s to %s)",
			in.Date, strings.Join(nearestReleases(releases, in.Date), " and "), len(releases), releases[0], releases[len(releases)-1])
	}
	// Rows sorted by country make the warnings come out in a stable order.
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].ISO3 < rows[j].ISO3 })

	t := &Thresholds{}
	var usPrice *big.Rat
	for _, r := range rows {
		if r.ISO3 == "USA" {
			p, ok := parseDecimal(r.DollarPrice)
			if !ok || p.Sign() <= 0 {
				return nil, fmt.Errorf("line %d: the United States' dollar_price %q is not a positive decimal", r.Line, r.DollarPrice)
			}
			usPrice = p
		}
	}
	if usPrice == nil {
		return nil, fmt.Errorf("the %s release has no row for the United States (USA), which every minimum is relative to", in.Date)
	}

	minimums := map[string]minimum{}
	rates := map[string]string{"USD": "1"}
	var euroArea *minimum
	for _, r := range rows {
		alpha2, isCountry := iso.Alpha2(r.ISO3)
		if r.ISO3 != euroAreaISO3 && !isCountry {
			t.Warnings = append(t.Warnings, fmt.Sprintf("line %d: %q (%s) is not an ISO 3166-1 alpha-3 country code; row left out", r.Line, r.ISO3, r.Name))
			continue
		}
		where := alpha2
		if !isCountry {
			where = "the euro area"
		}
		if _, dup := minimums[alpha2]; dup && isCountry {
			t.Warnings = append(t.Warnings, fmt.Sprintf("line %d: a second row for %s in the %s release; the first is used", r.Line, r.ISO3, in.Date))
			continue
		}
		price, ok1 := parseDecimal(r.DollarPrice)
		ex, ok2 := parseDecimal(r.DollarEx)
		if !ok1 || !ok2 || price.Sign() <= 0 || ex.Sign() <= 0 {
			t.Warnings = append(t.Warnings, fmt.Sprintf("line %d: %s has no positive dollar_price and dollar_ex (%q, %q); row left out", r.Line, where, r.DollarPrice, r.DollarEx))
			continue
		}
		exact := new(big.Rat).Mul(base, price)
		exact.Quo(exact, usPrice)
		m := minimum{usd: roundHalfAway(exact, 2)}
		if m.usd == "0.00" {
			t.Warnings = append(t.Warnings, fmt.Sprintf("line %d: the minimum for %s rounds to 0.00 USD; row left out", r.Line, where))
			continue
		}
		if minor, ok := iso.Currency(r.Currency); ok {
			m.local = roundHalfAway(new(big.Rat).Mul(exact, ex), minor)
			m.currency = r.Currency
			if m.local == roundHalfAway(new(big.Rat), minor) {
				m.local, m.currency = "", "" // too small to write in that currency
			}
			if prev, dup := rates[r.Currency]; dup && r.Currency != "USD" && prev != plainDecimal(r.DollarEx, ex) {
				t.Warnings = append(t.Warnings, fmt.Sprintf("line %d: %s's dollar_ex %s differs from another row's %s; the first is kept in rates", r.Line, r.Currency, r.DollarEx, prev))
			} else if !dup {
				rates[r.Currency] = plainDecimal(r.DollarEx, ex)
			}
		} else {
			t.Warnings = append(t.Warnings, fmt.Sprintf("line %d: %q is not an active ISO 4217 currency; the minimum for %s is written in US dollars only", r.Line, r.Currency, where))
		}
		if !isCountry {
			euroArea = &m
			continue
		}
		minimums[alpha2] = m
	}
	t.Countries = len(minimums)
	t.EuroArea = euroArea != nil

	t.Overrides = kept.overrides

	var b bytes.Buffer
	command := "tally thresholds --bigmac " + in.CSVName + " --date " + in.Date
	if in.Base != DefaultBase {
		command += " --base " + in.Base
	}
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", thresholdsSchema)
	fmt.Fprintf(&b, "# Generated by `%s`; changes are reviewed by pull request.\n", command)
	b.WriteString("# Edit only `overrides` and `fallback_usd` by hand: the next run keeps them and rewrites the rest.\n")
	fmt.Fprintf(&b, "source: The Economist Big Mac index, raw index, %s\n", in.Date)
	fmt.Fprintf(&b, "date: %s\n", in.Date)
	b.WriteString("notice: >-\n")
	for _, line := range wrap(BigMacNotice, 80) {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	fmt.Fprintf(&b, "base: {country: US, amount: %q, currency: USD}\n", in.Base)
	b.WriteString("minimums:\n")
	for _, c := range slices.Sorted(maps.Keys(minimums)) {
		fmt.Fprintf(&b, "  %s: %s\n", ledger.Scalar(c), minimums[c].flow())
	}
	if euroArea != nil {
		fmt.Fprintf(&b, "euro_area: %s\n", euroArea.flow())
	}
	b.Write(kept.overridesText)
	fmt.Fprintf(&b, "fallback_usd: %q\n", kept.fallbackUSD)
	b.WriteString("rates:\n")
	for _, c := range slices.Sorted(maps.Keys(rates)) {
		fmt.Fprintf(&b, "  %s: %q\n", ledger.Scalar(c), rates[c])
	}
	t.File = b.Bytes()
	return t, nil
}

func (m minimum) flow() string {
	if m.currency == "" {
		return fmt.Sprintf("{usd: %q}", m.usd)
	}
	return fmt.Sprintf("{usd: %q, local: %q, currency: %s}", m.usd, m.local, m.currency)
}

// kept is what a new thresholds.yaml takes over from the current one.
type kept struct {
	overridesText []byte // the overrides key and its value, as written
	overrides     []string
	fallbackUSD   string
	base          string // base.amount, when it is a plain decimal
}

// readExisting finds the hand-entered parts of the current file. The
// overrides are copied as text, comments and all: they are the reviewed,
// hand-written part of a generated file, and a regeneration must not so
// much as reformat them.
func readExisting(data []byte) (kept, error) {
	k := kept{fallbackUSD: DefaultFallbackUSD}
	if len(bytes.TrimSpace(data)) == 0 {
		return k, nil
	}
	e, err := ledger.EditYAML(data)
	if err != nil {
		return k, fmt.Errorf("the current thresholds file is not valid YAML (%v); fix it first, since its overrides must be kept", err)
	}
	if e.Root() == nil {
		return k, nil
	}
	if e.Root().Kind != yaml.MappingNode {
		return k, errors.New("the current thresholds file is not a mapping; fix it first, since its overrides must be kept")
	}
	if _, base, _ := e.Key("base"); base != nil {
		for j := 0; j+1 < len(base.Content); j += 2 {
			if v := base.Content[j+1]; base.Content[j].Value == "amount" && v.Kind == yaml.ScalarNode && plainDecimalRe.MatchString(v.Value) {
				k.base = v.Value
			}
		}
	}
	if _, val, _ := e.Key("fallback_usd"); val != nil {
		if val.Kind != yaml.ScalarNode || !plainDecimalRe.MatchString(val.Value) {
			return k, fmt.Errorf("line %d: the current fallback_usd %q is not a decimal such as \"100\"; fix it first", val.Line, val.Value)
		}
		k.fallbackUSD = val.Value
	}
	if _, val, _ := e.Key("overrides"); val != nil {
		if val.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(val.Content); j += 2 {
				k.overrides = append(k.overrides, val.Content[j].Value)
			}
		}
		first, end, _ := e.Entry("overrides")
		k.overridesText = e.Text(first, end)
	}
	return k, nil
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}
