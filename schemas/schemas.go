// Package schemas holds the JSON Schemas (draft-07) of the ledger's record types. They are embedded so that
// `tally validate` works offline and always checks against the schemas of its own version, and they are
// published under their $id so that editors validate ledger files while they are typed.
package schemas

import "embed"

// FS holds <name>.schema.json for every name in Names.
//
//go:embed *.schema.json
var FS embed.FS

// Names are the record types that have a schema, sorted.
var Names = []string{
	"application",
	"claim",
	"conduct",
	"credits",
	"funding",
	"organization",
	"person",
	"program",
	"roadmap",
	"source",
	"thresholds",
}
