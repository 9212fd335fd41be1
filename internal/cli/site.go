package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/site"
)

type siteOptions struct {
	ledger, out, asOf, baseURL string
}

func newSite(s *streams) *cobra.Command {
	var o siteOptions
	cmd := &cobra.Command{
		Use:   "site",
		Short: "Write the partners directory, a static web site",
		Long: `Site validates the ledger, then writes the partners directory as a static
web site that works from a file system and from GitHub Pages:

  OUT/index.html            the partners in the month's order, the featured
                            ones first, with filters by offering, service,
                            language and region
  OUT/partners/ID.html      a page per partner: overview, contact, services,
                            case studies, activity charts, active people
  OUT/shout-out.html        the month's shout-outs, and every month's
  OUT/shout-outs/YYYY-MM.html  the shout-outs of each month
  OUT/rules.html            the program's rules, from program.yaml
  OUT/embed.html            how to show the featured partners on another site:
  OUT/featured.html         in an iframe, as a block of HTML, or from
  OUT/featured.json         featured.json
  OUT/partners.json         the directory for scripts
  OUT/badges/ID.svg         a badge per partner to embed
  OUT/health.html           community health: trends, onion, waits (CHAOSS)
  OUT/projects.html         every project side by side
  OUT/organizations.html    each organisation's contributions, with a page
                            each in OUT/organizations/
  OUT/logos/ID.svg, .png    each partner's logo, or its initials drawn

A file is rewritten only when its content changes. Pages, badges and logos of
organisations that are no longer partners (or have no credits in two years,
for organizations/) are removed; nothing else in OUT is
touched.

When the ledger has findings, site prints them as validate does, writes
nothing and exits 1.`,
		Example: `  tally site
  tally site --as-of 2026-09 --out /tmp/site
  tally site --base-url https://example.org/partners/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runSite(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	f.StringVar(&o.out, "out", filepath.Join("reports", "site"), "the folder to write the site to")
	f.StringVar(&o.asOf, "as-of", "", "the month to rank partners by, YYYY-MM, one that has ended (default: the latest month with credits that has ended)")
	f.StringVar(&o.baseURL, "base-url", "", "the address the site is published at, for partners.json, badge and embed code (default: program.yaml's reports.site_url, else relative addresses)")
	return cmd
}

func runSite(s *streams, o siteOptions) error {
	b, asOf, err := loadAsOf(s, o.ledger, o.asOf, "no site written", "tally site")
	if err != nil {
		return err
	}
	if asOf == 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s has no credits in a month that has ended: give --as-of to write an empty directory", o.ledger)}
	}
	base, err := siteAddress(b, o.baseURL)
	if err != nil {
		return err
	}
	sum, err := writeSite(b, partner.NewEvaluator(b).NewDirectory(asOf), o.out, base)
	if err != nil {
		return err
	}
	printWritten(s, o.out, sum.Written, sum.Unchanged, sum.Removed)
	return nil
}

// siteAddress is where the site is published: --base-url, which then
// stands for program.yaml's reports.site_url in everything written (the
// shout-outs' links too), else reports.site_url, else "" for relative
// addresses.
func siteAddress(b *score.Book, flag string) (string, error) {
	prog := b.Ledger.Program
	if flag == "" {
		return prog.Reports.Site(), nil
	}
	base, err := site.NormaliseBase(flag)
	if err != nil {
		return "", &exitError{code: exitUsage, err: fmt.Errorf("--base-url: %w", err)}
	}
	prog.Reports.SiteURL = base
	return base, nil
}

// writeSite writes the partners directory d as a web site, in the order
// and with the standing and tiers of the partner rules.
func writeSite(b *score.Book, d *partner.Directory, out, baseURL string) (site.Summary, error) {
	in, err := site.FromLedger(b, d.AsOf, site.Entries(d))
	if err != nil {
		return site.Summary{}, &exitError{code: exitUsage, err: err}
	}
	sum, err := site.Write(in, out, baseURL)
	if err != nil {
		return sum, &exitError{code: exitUsage, err: fmt.Errorf("writing the site: %w", err)}
	}
	return sum, nil
}
