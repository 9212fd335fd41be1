// Package iso holds ISO 3166-1 country codes and ISO 4217 currency codes, as
// facts the ledger checks and threshold computation need.
//
// The data lives in Go tables in this package (countries.go, currencies.go,
// euroarea.go);
// nothing is read or generated at run time. Lookups are exact: codes are
// upper-case ASCII ("GB", "GBR", "USD"), and any other spelling is unknown.
package iso

// country is one ISO 3166-1 entry.
type country struct {
	alpha2 string
	alpha3 string
	name   string
}

// currency is one ISO 4217 entry.
type currency struct {
	code       string
	minorUnits int
}

var (
	byAlpha2     = make(map[string]*country, len(countries))
	byAlpha3     = make(map[string]*country, len(countries))
	minorUnitsOf = make(map[string]int, len(currencies))
	inEuroArea   = make(map[string]bool, len(euroArea))
)

func init() {
	for i := range countries {
		c := &countries[i]
		byAlpha2[c.alpha2] = c
		byAlpha3[c.alpha3] = c
	}
	for _, c := range currencies {
		minorUnitsOf[c.code] = c.minorUnits
	}
	for _, e := range euroArea {
		inEuroArea[e.alpha2] = true
	}
}

// Country returns the English short name of the country or territory whose
// officially assigned ISO 3166-1 alpha-2 code is alpha2, and whether there is
// one. User-assigned codes such as XK (Kosovo) are not official and are
// unknown here.
func Country(alpha2 string) (name string, ok bool) {
	c, ok := byAlpha2[alpha2]
	if !ok {
		return "", false
	}
	return c.name, true
}

// Alpha2 returns the ISO 3166-1 alpha-2 code for an officially assigned
// alpha-3 code (GBR gives GB, CHE gives CH), and whether there is one.
//
// Codes that are not countries get "", false. That includes the Big Mac
// index's "EUZ" row, which stands for the euro area as a whole: the euro
// area is many countries (see EuroArea), not one.
func Alpha2(alpha3 string) (string, bool) {
	c, ok := byAlpha3[alpha3]
	if !ok {
		return "", false
	}
	return c.alpha2, true
}

// Currency returns the number of minor-unit digits of an active ISO 4217
// currency (2 for USD, 0 for JPY, 3 for KWD, 4 for CLF), and whether code is
// one. Withdrawn codes (VEF, HRK, BGN, ...) and codes whose minor unit ISO
// gives as N.A. (XAU, XDR, XXX, ...) are unknown.
func Currency(code string) (minorUnits int, ok bool) {
	minorUnits, ok = minorUnitsOf[code]
	return minorUnits, ok
}

// EuroArea reports whether the euro is the legal currency of the country or
// territory with ISO 3166-1 alpha-2 code alpha2, as of 2026-01-01: the 21
// euro-area members (with the parts of them that have codes of their own),
// plus those with a monetary agreement with the EU (Andorra, Monaco, San
// Marino, Vatican City, Saint Barthélemy, Saint Pierre and Miquelon). It is
// false for countries that use the euro without an agreement, such as
// Montenegro (ME), and for Kosovo, which has no official code.
func EuroArea(alpha2 string) bool {
	return inEuroArea[alpha2]
}
