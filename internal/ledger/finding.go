package ledger

import (
	"cmp"
	"slices"
)

// Pos is a place in a file: 1-based line and column.
type Pos struct{ Line, Col int32 }

// Finding is one problem in the ledger, at a place, found by a named rule.
type Finding struct {
	// Path is the file's slash-separated path inside the ledger.
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
	// Field names the offending field as a path into the record, such as
	// "credits[3].kind"; empty when the finding is about the whole file.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Rule    string `json:"rule"`
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
	return slices.Compact(fs)
}
