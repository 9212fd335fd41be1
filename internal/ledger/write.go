package ledger

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Scalar writes s as a YAML scalar that reads back as the string s, in a
// block or a flow collection: plain when that is safe, double-quoted
// otherwise ("100.00", "NO", "true", "2026-10-03", "a: b", "a, b"). Plain scalars that YAML 1.1 tools read as
// booleans (yes, no, on, off, y, n) are quoted too, so that editors agree
// with tally.
func Scalar(s string) string {
	if plainString(s) {
		return s
	}
	return strconv.Quote(s) // Go's escapes are a subset of YAML's
}

func plainString(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off":
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("._-/:@+ ", r)
		if !ok {
			return false
		}
	}
	if strings.ContainsRune("-:@+.", rune(s[0])) || strings.HasSuffix(s, ":") || strings.Contains(s, ": ") {
		return false
	}
	if wordLike(s) {
		return true
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+s+"\n"), &doc); err != nil {
		return false
	}
	if len(doc.Content) != 1 || len(doc.Content[0].Content) != 2 {
		return false
	}
	v := doc.Content[0].Content[1]
	return v.Kind == yaml.ScalarNode && v.Tag == "!!str" && v.Value == s
}

// wordLike tells, without parsing, that YAML reads a plain scalar as a
// string: it starts with a letter and holds a space, a slash, an @, a
// colon or an underscore, which no boolean or null YAML knows holds (and
// its numbers and times start with a digit, a sign or a dot). Titles,
// identities and kinds are mostly such, and parsing each one was most of
// the time an import of thousands of credits took.
func wordLike(s string) bool {
	c := s[0]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && strings.ContainsAny(s, " /@:_")
}
