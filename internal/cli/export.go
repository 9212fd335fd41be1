package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/export"
)

type exportOptions struct {
	ledger, format, out string
}

func newExport(s *streams) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export --format parquet|jsonl --out DIR",
		Short: "Write the resolved credits and payments as tables for analysts",
		Long: `Export validates the ledger, then writes two tables into DIR, as Parquet or
as JSON Lines, for DuckDB, pandas, BigQuery and the like:

  DIR/credits.parquet    every credit: who, the person and the organisation it
                         counts for (and why), kind, date, weight, score, cap,
                         project, url, title and facts
  DIR/payments.parquet   every payment: organisation or payer, the amount as a
                         decimal string and in US cents, currency, date,
                         months, source

(.jsonl with --format jsonl.) The columns are described in docs/export.md.
Anonymous and hidden people's credits are there, without who or person.
A file is rewritten only when its content changes.`,
		Example: `  tally export --format parquet --out /tmp/lumen
  duckdb -c "select kind, count(*) from '/tmp/lumen/credits.parquet' group by kind"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runExport(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.format, "format", "parquet", "parquet or jsonl")
	f.StringVar(&o.out, "out", "", "the folder to write the tables to (made if missing)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runExport(s *streams, o exportOptions) error {
	format, err := export.ParseFormat(o.format)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	b, err := loadToWrite(s, o.ledger, "nothing exported", "tally export")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	sum, err := export.Write(b, format, o.out)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("exporting: %w", err)}
	}
	fmt.Fprintf(s.err, "%d credits and %d payments\n", sum.Credits, sum.Payments)
	printWritten(s, o.out, sum.Written, sum.Unchanged, 0)
	return nil
}
