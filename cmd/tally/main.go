// Command tally runs an open source partners program out of a git
// repository. All behaviour lives in internal/cli.
package main

import (
	"os"

	"github.com/tallyledger/tally/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
