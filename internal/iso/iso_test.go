package iso

import (
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
)

func isUpper(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func TestCountryTable(t *testing.T) {
	if got := len(countries); got != 249 {
		t.Errorf("len(countries) = %d, want 249 officially assigned codes", got)
	}
	if len(byAlpha2) != len(countries) {
		t.Errorf("%d distinct alpha-2 codes in %d entries", len(byAlpha2), len(countries))
	}
	if len(byAlpha3) != len(countries) {
		t.Errorf("%d distinct alpha-3 codes in %d entries", len(byAlpha3), len(countries))
	}
	for i, c := range countries {
		if !isUpper(c.alpha2, 2) || !isUpper(c.alpha3, 3) || c.name == "" || strings.TrimSpace(c.name) != c.name {
			t.Errorf("malformed entry %+v", c)
		}
		if i > 0 && countries[i-1].alpha2 >= c.alpha2 {
			t.Errorf("not sorted or duplicated: %q then %q", countries[i-1].alpha2, c.alpha2)
		}
		// Every alpha-3 maps to its own alpha-2, and back.
		if a2, ok := Alpha2(c.alpha3); !ok || a2 != c.alpha2 {
			t.Errorf("Alpha2(%q) = %q, %v; want %q", c.alpha3, a2, ok, c.alpha2)
		}
		if name, ok := Country(c.alpha2); !ok || name != c.name {
			t.Errorf("Country(%q) = %q, %v; want %q", c.alpha2, name, ok, c.name)
		}
	}
}

func TestCountry(t *testing.T) {
	for code, want := range map[string]string{
		"GB": "United Kingdom",
		"DE": "Germany",
		"CH": "Switzerland",
		"AE": "United Arab Emirates",
		"US": "United States",
		"HK": "Hong Kong",
		"CI": "Côte d'Ivoire",
	} {
		if got, ok := Country(code); !ok || got != want {
			t.Errorf("Country(%q) = %q, %v; want %q, true", code, got, ok, want)
		}
	}
	// Not officially assigned: user-assigned, reserved, wrong case, alpha-3.
	for _, code := range []string{"XK", "EU", "UK", "ZZ", "AA", "gb", "GBR", ""} {
		if got, ok := Country(code); ok {
			t.Errorf("Country(%q) = %q, true; want unknown", code, got)
		}
	}
}

func TestAlpha2(t *testing.T) {
	for a3, want := range map[string]string{
		"GBR": "GB",
		"DEU": "DE",
		"CHE": "CH",
		"ARE": "AE",
		"TWN": "TW",
		"HKG": "HK",
		"VNM": "VN",
		"KOR": "KR",
		"USA": "US",
	} {
		if got, ok := Alpha2(a3); !ok || got != want {
			t.Errorf("Alpha2(%q) = %q, %v; want %q, true", a3, got, ok, want)
		}
	}
	for _, a3 := range []string{"EUZ", "XKX", "UK", "gbr", ""} {
		if got, ok := Alpha2(a3); ok || got != "" {
			t.Errorf("Alpha2(%q) = %q, %v; want \"\", false", a3, got, ok)
		}
	}
}

func TestCurrencyTable(t *testing.T) {
	// ISO 4217 List One of 2026-01-01 has 178 distinct codes, 13 of them
	// with minor unit N.A.; the rest split 17 / 139 / 7 / 2 by minor unit.
	if got := len(currencies); got != 165 {
		t.Errorf("len(currencies) = %d, want 165", got)
	}
	if len(minorUnitsOf) != len(currencies) {
		t.Errorf("%d distinct codes in %d entries", len(minorUnitsOf), len(currencies))
	}
	byUnits := map[int]int{}
	for i, c := range currencies {
		if !isUpper(c.code, 3) {
			t.Errorf("malformed code %q", c.code)
		}
		if i > 0 && currencies[i-1].code >= c.code {
			t.Errorf("not sorted or duplicated: %q then %q", currencies[i-1].code, c.code)
		}
		byUnits[c.minorUnits]++
	}
	want := map[int]int{0: 17, 2: 139, 3: 7, 4: 2}
	for units, n := range want {
		if byUnits[units] != n {
			t.Errorf("%d codes with %d minor units, want %d", byUnits[units], units, n)
		}
	}
	if len(byUnits) != len(want) {
		t.Errorf("minor units in use: %v, want only %v", byUnits, want)
	}
}

func TestCurrency(t *testing.T) {
	for code, want := range map[string]int{
		"USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "IDR": 2, "HUF": 2,
		"JPY": 0, "CLP": 0, "ISK": 0, "KRW": 0, "VND": 0, "UYI": 0,
		"BHD": 3, "KWD": 3, "TND": 3,
		"CLF": 4, "UYW": 4,
		"VES": 2, "VED": 2, "SLE": 2, "ZWG": 2, "XCG": 2,
	} {
		if got, ok := Currency(code); !ok || got != want {
			t.Errorf("Currency(%q) = %d, %v; want %d, true", code, got, ok, want)
		}
	}
	// Minor unit N.A., withdrawn, malformed.
	for _, code := range []string{
		"XAU", "XAG", "XDR", "XTS", "XXX",
		"VEF", "VEB", "HRK", "BGN", "ANG", "SLL", "ZWL", "DEM",
		"usd", "US", "",
	} {
		if got, ok := Currency(code); ok {
			t.Errorf("Currency(%q) = %d, true; want unknown", code, got)
		}
	}
}

func TestEuroArea(t *testing.T) {
	members := 0
	for i, e := range euroArea {
		if _, ok := Country(e.alpha2); !ok {
			t.Errorf("euroArea has %q, not an official code", e.alpha2)
		}
		if i > 0 && euroArea[i-1].alpha2 >= e.alpha2 {
			t.Errorf("euroArea not sorted or duplicated: %q then %q", euroArea[i-1].alpha2, e.alpha2)
		}
		if strings.HasPrefix(e.why, "member") {
			members++
		}
	}
	if members != 21 {
		t.Errorf("%d euro-area members, want 21", members)
	}
	for _, code := range []string{"DE", "FR", "HR", "BG", "AT", "IE", "AD", "MC", "SM", "VA", "RE"} {
		if !EuroArea(code) {
			t.Errorf("EuroArea(%q) = false, want true", code)
		}
	}
	for _, code := range []string{"GB", "CH", "DK", "SE", "PL", "CZ", "HU", "RO", "ME", "XK", "US", "de", ""} {
		if EuroArea(code) {
			t.Errorf("EuroArea(%q) = true, want false", code)
		}
	}
}

// withdrawnInBigMac are currency codes that the Big Mac index carries on old
// rows but that ISO 4217 has withdrawn: VEF, the Venezuelan bolívar fuerte,
// replaced by VES in 2018 (the index also files pre-2008 bolívar prices
// under it).
var withdrawnInBigMac = map[string]bool{"VEF": true}

func TestBigMacCodes(t *testing.T) {
	const path = "../../../shared/data/bigmac/big-mac-raw-index.csv"
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"date", "iso_a3", "currency_code"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("%s: no %q column in header %v", path, h, header)
		}
	}

	alpha3s := map[string]bool{}
	codes := map[string]bool{}
	latest := ""
	latestCodes := map[string]bool{}
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		date, a3, code := rec[col["date"]], rec[col["iso_a3"]], rec[col["currency_code"]]
		alpha3s[a3] = true
		codes[code] = true
		if date > latest {
			latest = date
			clear(latestCodes)
		}
		if date == latest {
			latestCodes[code] = true
		}
	}
	if rows == 0 {
		t.Fatalf("%s: no rows", path)
	}

	for a3 := range alpha3s {
		a2, ok := Alpha2(a3)
		if a3 == "EUZ" {
			if ok {
				t.Errorf("Alpha2(EUZ) = %q, true; want \"\", false", a2)
			}
			continue
		}
		if !ok {
			t.Errorf("Big Mac iso_a3 %q: Alpha2 does not know it", a3)
		}
	}
	for code := range codes {
		_, ok := Currency(code)
		switch {
		case withdrawnInBigMac[code] && ok:
			t.Errorf("Big Mac currency %q is listed as withdrawn but Currency knows it", code)
		case !withdrawnInBigMac[code] && !ok:
			t.Errorf("Big Mac currency_code %q: Currency does not know it", code)
		}
	}
	// The newest survey uses only active codes.
	for code := range latestCodes {
		if _, ok := Currency(code); !ok {
			t.Errorf("Big Mac %s: currency_code %q is not active", latest, code)
		}
	}
}
