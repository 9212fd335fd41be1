package report

import "github.com/tallyledger/tally/internal/words"

// Plural is words.Plural.
//
// Deprecated: use words.Plural.
func Plural(n int, word string) string { return words.Plural(n, word) }

// Thousands is words.Thousands.
//
// Deprecated: use words.Thousands.
func Thousands(n int) string { return words.Thousands(n) }

// ListWords is words.List.
//
// Deprecated: use words.List.
func ListWords(names []string) string { return words.List(names) }
