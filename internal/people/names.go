// Package people keeps the people of a ledger tidy: it compares names the
// way people write them, makes ids from names, and finds likely duplicate
// people and identities that nobody owns but somebody likely does.
package people

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NameKey is a name made comparable: accents folded, case ignored,
// bracketed asides such as pronouns ("(he/him)") left out, punctuation and
// runs of spaces read as one space. "Jean-Marc Dupré (he/him)" and
// "jean marc dupre" have the same key.
func NameKey(name string) string {
	var b strings.Builder
	depth := 0
	space := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case r == '(' || r == '[':
			depth++
			space = true
		case r == ')' || r == ']':
			depth = max(depth-1, 0)
			space = true
		case depth > 0 || unicode.Is(unicode.Mn, r):
			// inside brackets, or an accent NFD took off its letter
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			if f, ok := folds[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		default:
			space = true
		}
	}
	return b.String()
}

// folds are the letters that do not decompose into a base letter and an
// accent.
var folds = map[rune]string{
	'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ß': "ss",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// compact is a name or a handle without its spaces and punctuation:
// "Alice Example", "alice.example" and "alice-example" are all
// "aliceexample".
func compact(s string) string { return strings.ReplaceAll(NameKey(s), " ", "") }

// maxIDLength is the longest person id the ledger allows.
const maxIDLength = 63

// Slug makes a person id from a name: lowercase ASCII letters and digits,
// words joined by dashes ("Petr Šnobl" -> "petr-snobl"); "" when the name
// has no letter or digit that folds to ASCII.
func Slug(name string) string {
	var words []string
	for _, w := range strings.Fields(NameKey(name)) {
		ascii := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, w)
		if ascii != "" {
			words = append(words, ascii)
		}
	}
	s := strings.Join(words, "-")
	for len(s) > maxIDLength {
		if i := strings.LastIndexByte(s[:maxIDLength], '-'); i > 0 {
			s = s[:i]
		} else {
			s = s[:maxIDLength]
		}
	}
	return s
}

// UniqueID is base, or base-2, base-3... the first that taken does not
// hold, shortened so that the suffix fits an id.
func UniqueID(base string, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		id := base
		if len(id)+len(suffix) > maxIDLength {
			id = strings.TrimRight(id[:maxIDLength-len(suffix)], "-")
		}
		if id += suffix; !taken(id) {
			return id
		}
	}
}
