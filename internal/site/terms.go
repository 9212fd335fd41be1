package site

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/tallyledger/tally/internal/iso"
)

// capitalise upper-cases the first letter: organisation files write
// services and regions in lower case.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// offeringWords names an offering: saas and self-hosted are the usual ones.
func offeringWords(s string) string {
	switch strings.ToLower(s) {
	case "saas":
		return "SaaS"
	case "self-hosted":
		return "Self-hosted"
	}
	return capitalise(strings.ReplaceAll(s, "-", " "))
}

// regionNames spells regions that capitalising alone gets wrong.
var regionNames = map[string]string{
	"uk": "UK", "us": "US", "usa": "USA", "eu": "EU", "dach": "DACH", "emea": "EMEA", "apac": "APAC",
	"latam": "Latin America", "mena": "Middle East and North Africa",
}

// regionWords names a region: "north-america" is "North America".
func regionWords(s string) string {
	if name, ok := regionNames[strings.ToLower(s)]; ok {
		return name
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		if w != "and" && w != "of" {
			words[i] = capitalise(w)
		}
	}
	return strings.Join(words, " ")
}

// languageWords names a BCP 47 language tag in English, as the Unicode
// CLDR does ("pt-BR" is "Brazilian Portuguese"); a tag it does not know is
// shown as written.
func languageWords(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if name := display.English.Tags().Name(t); name != "" {
		return name
	}
	return tag
}

// token is a value as the filters compare it: lower case, no spaces, so
// that a card's data attribute is a space-separated list of tokens.
func token(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), "-")
}

// countryWords names a country as a sentence does after "in": "the United
// Kingdom", "Germany"; an unknown code is shown as written.
func countryWords(alpha2 string) string {
	name, ok := iso.Country(alpha2)
	if !ok {
		return alpha2
	}
	if strings.HasPrefix(name, "United ") || strings.Contains(name, "Republic") ||
		name == "Netherlands" || name == "Philippines" || name == "Bahamas" {
		return "the " + name
	}
	return name
}
