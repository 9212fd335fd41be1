package fastyaml

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file mirrors resolve() in go.yaml.in/yaml/v3 (resolve.go, v3.0.6)
// for the case that matters here: an untagged plain scalar, for which the
// yaml.v3 parser sets Node.Tag to the tag resolve("", value) returns. Only
// the tag is computed, never the value. The fast paths in resolvePlain
// answer a few common shapes (small decimal integers, dates, UTC
// timestamps) without calling strconv or time; everything else goes
// through resolveSlow, a line-by-line copy of yaml.v3's logic.

const (
	nullTag      = "!!null"
	boolTag      = "!!bool"
	strTag       = "!!str"
	intTag       = "!!int"
	floatTag     = "!!float"
	timestampTag = "!!timestamp"
	seqTag       = "!!seq"
	mapTag       = "!!map"
	mergeTag     = "!!merge"
)

// resolveHint is yaml.v3's resolveTable: the first byte of a plain scalar
// tells which kinds of value it may be.
var resolveHint = [256]byte{
	'+': 'S', '-': 'S',
	'0': 'D', '1': 'D', '2': 'D', '3': 'D', '4': 'D',
	'5': 'D', '6': 'D', '7': 'D', '8': 'D', '9': 'D',
	'y': 'M', 'Y': 'M', 'n': 'M', 'N': 'M', 't': 'M', 'T': 'M',
	'f': 'M', 'F': 'M', 'o': 'M', 'O': 'M', '~': 'M',
	'<': 'M',
	'.': '.',
}

// resolveMapTag is yaml.v3's resolveMap, tags only.
func resolveMapTag(s string) string {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return boolTag
	case "", "~", "null", "Null", "NULL":
		return nullTag
	case ".nan", ".NaN", ".NAN",
		".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF",
		"-.inf", "-.Inf", "-.INF":
		return floatTag
	case "<<":
		return mergeTag
	}
	return ""
}

// resolvePlain returns the tag yaml.v3 gives the plain scalar s.
func resolvePlain(s string) string {
	if s == "" {
		return nullTag
	}
	hint := resolveHint[s[0]]
	if hint == 0 {
		return strTag
	}
	if tag := resolveMapTag(s); tag != "" {
		return tag
	}
	switch hint {
	case 'M':
		return strTag
	case '.':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return floatTag
		}
		return strTag
	}
	if hint == 'D' {
		if tag := resolveFast(s); tag != "" {
			return tag
		}
	}
	return resolveSlow(s)
}

// resolveFast recognizes common shapes of plain scalars starting with a
// digit whose tag is certain, or returns "".
func resolveFast(s string) string {
	n := len(s)
	digits := 0
	for digits < n && isDigit(s[digits]) {
		digits++
	}
	switch {
	case digits == n:
		// Decimal integer without a leading zero: ParseInt succeeds
		// (18 digits cannot overflow int64), and parseTimestamp fails
		// as there is no '-'.
		if n <= 18 && (s[0] != '0' || n == 1) {
			return intTag
		}
	case digits == 4 && (n == 10 || n == 20) && isDate(s):
		if n == 10 {
			return timestampTag // "2006-01-02"
		}
		if s[10] == 'T' && s[19] == 'Z' && s[13] == ':' && s[16] == ':' &&
			twoDigits(s[11:13]) < 24 && twoDigits(s[14:16]) < 60 && twoDigits(s[17:19]) < 60 {
			return timestampTag // "2006-01-02T15:04:05Z"
		}
	case digits > 0 && digits < n && s[digits] == '.' && n <= 100:
		// "123.45": ParseInt and ParseUint fail on the '.', the
		// yamlStyleFloat pattern matches and ParseFloat cannot overflow.
		// parseTimestamp fails since s[4] is not '-' when digits == 4.
		for i := digits + 1; i < n; i++ {
			if !isDigit(s[i]) {
				return ""
			}
		}
		return floatTag
	}
	return ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// twoDigits returns the value of two ASCII digits, or 100 if they are not.
func twoDigits(s string) int {
	if !isDigit(s[0]) || !isDigit(s[1]) {
		return 100
	}
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

// isDate reports whether s starts with "YYYY-MM-DD" where time.Parse
// certainly accepts the date: month 01-12 and day 01-28.
func isDate(s string) bool {
	if s[4] != '-' || s[7] != '-' {
		return false
	}
	m, d := twoDigits(s[5:7]), twoDigits(s[8:10])
	return m >= 1 && m <= 12 && d >= 1 && d <= 28
}

var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolveSlow is the 'D' and 'S' branch of yaml.v3's resolve, tags only.
func resolveSlow(in string) string {
	if parseTimestamp(in) {
		return timestampTag
	}
	plain := strings.Replace(in, "_", "", -1)
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return intTag
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return intTag
	}
	if yamlStyleFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return floatTag
		}
	}
	if strings.HasPrefix(plain, "0b") {
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return intTag
		}
		if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return intTag
		}
	} else if strings.HasPrefix(plain, "-0b") {
		if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return intTag
		}
	}
	if strings.HasPrefix(plain, "0o") {
		if _, err := strconv.ParseInt(plain[2:], 8, 64); err == nil {
			return intTag
		}
		if _, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
			return intTag
		}
	} else if strings.HasPrefix(plain, "-0o") {
		if _, err := strconv.ParseInt("-"+plain[3:], 8, 64); err == nil {
			return intTag
		}
	}
	return strTag
}

// allowedTimestampFormats and parseTimestamp are copied from yaml.v3.
var allowedTimestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00", // RCF3339Nano with short date fields.
	"2006-1-2t15:4:5.999999999Z07:00", // RFC3339Nano with short date fields and lower-case "t".
	"2006-1-2 15:4:5.999999999",       // space separated with no time zone
	"2006-1-2",                        // date only
}

func parseTimestamp(s string) bool {
	// Quick check: all date formats start with YYYY-.
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range allowedTimestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
