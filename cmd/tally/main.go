// Command tally runs an open source partners program out of a git
// repository. All behaviour lives in internal/cli.
package main

import (
	"os"
	"runtime/debug"

	"github.com/tallyledger/tally/internal/cli"
	"github.com/tallyledger/tally/internal/sysmem"
)

// fallbackSoftLimit is used where the machine says nothing of its memory.
const fallbackSoftLimit = 1536 << 20

func main() {
	// Loading a ledger makes much short-lived garbage: collecting half as
	// often saves a tenth of the time on a million credits. The soft
	// limit, derived from what the machine or container allows, keeps the
	// heap inside it without thrashing on ledgers larger than a fixed
	// figure would allow. GOGC and GOMEMLIMIT still win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit := int64(fallbackSoftLimit)
		if available, ok := sysmem.Available(os.DirFS("/")); ok {
			limit = sysmem.SoftLimit(available)
		}
		debug.SetMemoryLimit(limit)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
