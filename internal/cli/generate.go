package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/synth"
)

// newGenerate is a hidden command that writes a synthetic ledger, for
// measuring tally at a foundation's scale.
func newGenerate(s *streams) *cobra.Command {
	spec := synth.Foundation
	var out string
	cmd := &cobra.Command{
		Use:    "generate-ledger --out DIR",
		Short:  "Write a synthetic ledger for benchmarks",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("%s is not empty; choose a new folder", out)}
			}
			if err := synth.Write(out, spec); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			fmt.Fprintf(s.err, "wrote %s: %d people, %d organisations, %d credits over %d months\n",
				out, spec.People, spec.Orgs, spec.Credits, spec.Months)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "the folder to write (must be new or empty)")
	f.IntVar(&spec.People, "people", spec.People, "number of people")
	f.IntVar(&spec.Orgs, "orgs", spec.Orgs, "number of organisations")
	f.IntVar(&spec.Credits, "credits", spec.Credits, "number of credits")
	f.IntVar(&spec.Months, "months", spec.Months, "number of months of credits")
	f.Uint64Var(&spec.Seed, "seed", spec.Seed, "random seed")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
