// Command tally runs an open source partners program out of a git
// repository. All behaviour lives in internal/cli.
package main

import (
	"os"
	"runtime/debug"

	"github.com/tallyledger/tally/internal/cli"
)

func main() {
	// Loading a ledger makes much short-lived garbage: collecting half as
	// often saves a tenth of the time on a million credits, and the soft
	// limit keeps the heap well inside 2 GiB. GOGC and GOMEMLIMIT still win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1536 << 20)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
