package ledger

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Pos is a place in a file: 1-based line and column.
type Pos struct{ Line, Col int32 }

// Finding is one problem in the ledger, at a place, found by a named rule.
type Finding struct {
	// Path is the file's slash-separated path inside the ledger.
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
	// Field names the offending field, such as "kind", or as a path into
	// the file, such as "credits[3].kind", for schema findings; empty when
	// the finding is about the whole file.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Rule    string `json:"rule"`
	// First is the earlier record a repeat conflicts with, when there is one.
	First *Location `json:"first,omitempty"`
}

// Location is a place in another file of the ledger.
type Location struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

// String renders the finding as one line: path:line:col: message [rule].
func (f Finding) String() string {
	msg := f.Message
	if f.First != nil {
		msg += fmt.Sprintf(" (first at %s:%d:%d)", f.First.Path, f.First.Line, f.First.Col)
	}
	return fmt.Sprintf("%s:%d:%d: %s [%s]", OneLine(f.Path), f.Line, f.Col, OneLine(msg), f.Rule)
}

// OneLine writes control characters as Go escapes (\n, \x1b), so that a
// finding is one line whatever a file's name or keys hold: a key with a
// line break and "::stop-commands::" must not become a line of its own,
// which a CI log would read as a command, or a terminal as an escape.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// At makes a finding at a position.
func At(path string, p Pos, field, rule, message string) Finding {
	return Finding{Path: path, Line: int(p.Line), Col: int(p.Col), Field: field, Rule: rule, Message: message}
}

// SortFindings orders findings by file, line, column, rule and message,
// and drops exact repeats.
func SortFindings(fs []Finding) []Finding {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(fs, func(a, b Finding) bool { return a.String() == b.String() })
}

// MaxFileFindings is how many findings the loader lists about one file. A
// file with more is usually one mistake repeated, or no ledger file at
// all, and its first findings say which; one more finding says how many
// are left out.
const MaxFileFindings = 100

// limitFindings keeps a file's first MaxFileFindings findings, by
// position, and says how many more there are.
func limitFindings(fs []Finding) []Finding {
	if len(fs) <= MaxFileFindings {
		return fs
	}
	fs = SortFindings(fs)
	if len(fs) <= MaxFileFindings {
		return fs
	}
	next, more := fs[MaxFileFindings], len(fs)-MaxFileFindings
	return append(fs[:MaxFileFindings], Finding{Path: next.Path, Line: next.Line, Col: next.Col, Rule: "more-findings",
		Message: fmt.Sprintf("%d more findings about this file from here on are not listed; fix the ones above and validate again", more)})
}
