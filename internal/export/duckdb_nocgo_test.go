//go:build !cgo

package export

import "testing"

func TestDuckDBReadsTheTables(t *testing.T) {
	t.Skip("DuckDB needs cgo (CGO_ENABLED=1 and a C compiler): skipping the check of the exported tables with an independent reader")
}
