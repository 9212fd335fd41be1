package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/words"
)

type thresholdsOptions struct {
	bigmac, date, base, out, ledger string
}

func newThresholds(s *streams) *cobra.Command {
	var o thresholdsOptions
	cmd := &cobra.Command{
		Use:   "thresholds --bigmac CSV --date YYYY-MM-DD",
		Short: "Write thresholds.yaml, the minimum payment per country, from the Big Mac index",
		Long: `Thresholds computes every country's minimum monthly payment from one release of
The Economist's Big Mac index (the raw index CSV, big-mac-raw-index.csv from
github.com/TheEconomist/big-mac-data, MIT licence):

  minimum = base × dollar_price(country) / dollar_price(USA)

in US dollars rounded half away from zero to cents, and in the local currency
(the same figure unrounded, times the release's dollar_ex, rounded to the
currency's minor unit). Figures are computed exactly from the CSV's decimals.
The euro area's row is the minimum of euro countries without their own;
rates keeps each currency's dollar_ex to convert payments with. The overrides
and fallback_usd of the current file are kept as written, and so is its base
unless --base says otherwise.

The file is written atomically, and only when it changes; the organisations
whose minimum moves are printed, one per line.`,
		Example: `  tally thresholds --bigmac big-mac-raw-index.csv --date 2026-01-01
  tally thresholds --bigmac big-mac-raw-index.csv --date 2026-01-01 --base 150 --out /tmp/thresholds.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runThresholds(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.bigmac, "bigmac", "", "the Big Mac raw index CSV (required)")
	f.StringVar(&o.date, "date", "", "the release to use, YYYY-MM-DD (required)")
	f.StringVar(&o.base, "base", "", "the monthly minimum in the United States, in US dollars (default: the current file's, else 100)")
	f.StringVar(&o.out, "out", "", "the file to write (default LEDGER/thresholds.yaml)")
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger whose organisations' minimums are compared")
	_ = cmd.MarkFlagRequired("bigmac")
	_ = cmd.MarkFlagRequired("date")
	return cmd
}

func runThresholds(s *streams, o thresholdsOptions) error {
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	if _, err := ledger.ParseDate(o.date); err != nil {
		return usage(fmt.Errorf("--date: %w", err))
	}
	out := o.out
	if out == "" {
		out = filepath.Join(o.ledger, "thresholds.yaml")
	}
	f, err := os.Open(o.bigmac)
	if err != nil {
		return usage(err)
	}
	rows, err := partner.ReadBigMac(f)
	f.Close()
	if err != nil {
		return usage(fmt.Errorf("%s: %w", o.bigmac, err))
	}
	old, err := readRegular(out)
	if err != nil {
		return usage(err)
	}
	t, err := partner.BuildThresholds(partner.ThresholdsInput{
		Rows: rows, Date: o.date, Base: o.base, CSVName: filepath.Base(o.bigmac), Existing: old,
	})
	if err != nil {
		return usage(fmt.Errorf("%s: %w", o.bigmac, err))
	}
	for _, w := range t.Warnings {
		fmt.Fprintf(s.err, "%s: %s\n", o.bigmac, w)
	}
	next, findings, err := parseThresholds(t.File)
	if err != nil {
		return usage(err)
	}
	if len(findings) > 0 {
		for _, f := range findings {
			f.Path = filepath.ToSlash(out)
			fmt.Fprintln(s.err, f)
		}
		return &exitError{code: exitFindings, err: fmt.Errorf("the new %s would not be valid (see above; the overrides are copied from the current file as written); nothing was written", out)}
	}

	what := fmt.Sprintf("the %s release: %d countries", o.date, t.Countries)
	if t.EuroArea {
		what += " and the euro area"
	}
	if len(t.Overrides) > 0 {
		what += fmt.Sprintf("; %s kept (%s)", words.Plural(len(t.Overrides), "override"), strings.Join(t.Overrides, ", "))
	}
	if bytes.Equal(old, t.File) {
		fmt.Fprintf(s.err, "%s is up to date with %s\n", out, what)
		return nil
	}
	if err := atomicfile.Write(out, t.File, 0o644); err != nil {
		return usage(err)
	}
	fmt.Fprintf(s.err, "wrote %s from %s\n", out, what)
	if old == nil {
		return nil
	}
	prev, _, err := parseThresholds(old)
	if err != nil || prev == nil {
		fmt.Fprintf(s.err, "the previous %s could not be read, so moves are not listed\n", out)
		return nil
	}
	orgs, err := loadOrganizations(o.ledger)
	if err != nil {
		fmt.Fprintf(s.err, "no organisations compared: %v\n", err)
		return nil
	}
	moves := partner.Moves(prev, next, orgs)
	for _, m := range moves {
		fmt.Fprintln(s.out, m)
	}
	switch len(moves) {
	case 0:
		fmt.Fprintf(s.err, "no organisation's minimum moves (%s compared)\n", words.Plural(len(orgs), "organisation"))
	case 1:
		fmt.Fprintln(s.err, "1 organisation's minimum moves; review it in the pull request")
	default:
		fmt.Fprintf(s.err, "%d organisations' minimums move; review them in the pull request\n", len(moves))
	}
	return nil
}

// readRegular reads the file at path, or nothing when path is not a
// regular file: a pipe or a device (--out /dev/stdout) is written to,
// never read from.
func readRegular(path string) ([]byte, error) {
	if info, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) || (err == nil && !info.Mode().IsRegular()) {
		return nil, nil
	}
	return os.ReadFile(path)
}

// parseThresholds reads a thresholds file as the ledger would, with what
// validate would say of it: the schema, the country and currency codes.
func parseThresholds(data []byte) (*ledger.Thresholds, []ledger.Finding, error) {
	l, findings, err := ledger.LoadFS(fstest.MapFS{"thresholds.yaml": {Data: data, Mode: 0o644}}, ledger.Options{})
	if err != nil {
		return nil, nil, err
	}
	findings = append(findings, check.Run(l)...)
	var mine []ledger.Finding
	for _, f := range findings {
		if f.Path == "thresholds.yaml" {
			mine = append(mine, f)
		}
	}
	return l.Thresholds, ledger.SortFindings(mine), nil
}

// loadOrganizations reads the organisations of a ledger, as far as they
// can be read.
func loadOrganizations(dir string) ([]*ledger.Organization, error) {
	l, _, err := ledger.Load(dir, ledger.Options{
		Trusted: true,
		Include: func(p string) bool { return strings.HasPrefix(p, "organizations/") },
	})
	if err != nil {
		return nil, err
	}
	return l.Organizations, nil
}
