package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

type validateOptions struct {
	ledger      string
	json        bool
	maxFileSize string
	listRules   bool
}

func newValidate(s *streams) *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the ledger and report every problem at once",
		Long: `Validate reads every file of the ledger, checks each against its schema and
the ledger as a whole against the program's rules, and prints every finding
as path:line:col: message [rule], sorted.

--list-rules lists the rules instead; docs/checks.md shows each with an
example.

Exit status: 0 when the ledger is clean, 1 when it has findings, 2 when the
command line is wrong or the ledger cannot be read.`,
		Example: `  tally validate
  tally validate --ledger path/to/ledger --json
  tally validate --list-rules`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runValidate(s, o) },
	}
	cmd.Flags().StringVar(&o.ledger, "ledger", "ledger", "the ledger folder")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the findings as JSON")
	cmd.Flags().StringVar(&o.maxFileSize, "max-file-size", "4MiB", "the largest file to read (bytes, or with KiB or MiB)")
	cmd.Flags().BoolVar(&o.listRules, "list-rules", false, "list the rules validation applies, with --json as JSON, and check nothing")
	return cmd
}

func runValidate(s *streams, o validateOptions) error {
	if o.listRules {
		return listRules(s, o.json)
	}
	limit, err := parseSize(o.maxFileSize)
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("--max-file-size: %w", err)}
	}
	progress := newProgress(s.err, "reading the ledger")
	l, findings, err := loadAndCheck(o.ledger, ledger.Options{MaxFileSize: limit, Progress: progress.update})
	progress.done()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	relocate(findings, o.ledger)
	if o.json {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		if findings == nil {
			findings = []ledger.Finding{}
		}
		if err := enc.Encode(struct {
			Findings []ledger.Finding `json:"findings"`
		}{findings}); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	} else {
		for _, f := range findings {
			fmt.Fprintln(s.out, f)
		}
	}
	if len(findings) > 0 {
		fmt.Fprintf(s.err, "%s in %s\n", words.Plural(len(findings), "finding"), words.Plural(countFiles(findings), "file"))
		return &exitError{code: exitFindings}
	}
	fmt.Fprintf(s.err, "%s is valid: %s, %s, %s, %s\n", o.ledger,
		words.Plural(len(l.People), "person"), words.Plural(len(l.Organizations), "organisation"),
		words.Plural(len(l.Credits), "credit"), words.Plural(len(l.Payments), "payment"))
	return nil
}

// listRules prints the registry of rules: one per line, or as JSON.
func listRules(s *streams, asJSON bool) error {
	if !asJSON {
		width := 0
		for _, r := range check.Rules {
			width = max(width, len(r.Name))
		}
		for _, r := range check.Rules {
			fmt.Fprintf(s.out, "%-*s  %s\n", width, r.Name, r.Summary)
		}
		return nil
	}
	type rule struct {
		Name    string `json:"name"`
		Summary string `json:"summary"`
		// Scope is "file" for a rule that judges each file alone, "ledger"
		// for one across records.
		Scope string `json:"scope"`
	}
	rules := []rule{}
	for _, r := range check.Rules {
		scope := "file"
		if r.AcrossRecords() {
			scope = "ledger"
		}
		rules = append(rules, rule{r.Name, r.Summary, scope})
	}
	enc := json.NewEncoder(s.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Rules []rule `json:"rules"`
	}{rules})
}

// loadAndCheck loads a ledger and runs the rules across records. The error
// is for a ledger that cannot be read at all.
func loadAndCheck(dir string, opt ledger.Options) (*ledger.Ledger, []ledger.Finding, error) {
	l, findings, err := ledger.Load(dir, opt)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the ledger: %w", err)
	}
	findings = append(findings, check.Run(l)...)
	return l, ledger.SortFindings(findings), nil
}

// displayPrefix is a folder as the user should see it: relative to the
// current directory when it is below it, else as given.
func displayPrefix(dir string) string {
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return dir
}

// relocate turns the ledger paths of findings (and of the records they
// repeat) into paths the user can open.
func relocate(findings []ledger.Finding, dir string) {
	prefix := displayPrefix(dir)
	for i := range findings {
		findings[i].Path = displayPath(prefix, findings[i].Path)
		if first := findings[i].First; first != nil {
			moved := *first
			moved.Path = displayPath(prefix, moved.Path)
			findings[i].First = &moved
		}
	}
}

// displayPath turns a path inside the ledger into one the user can open.
func displayPath(prefix, p string) string {
	return filepath.ToSlash(filepath.Join(prefix, filepath.FromSlash(p)))
}

func countFiles(fs []ledger.Finding) int {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Path] = true
	}
	return len(seen)
}

// parseSize reads a size such as 4MiB, 512KiB or 1000 (bytes).
func parseSize(s string) (int64, error) {
	num, unit := s, int64(1)
	for suffix, mult := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if strings.HasSuffix(s, suffix) {
			num, unit = strings.TrimSuffix(s, suffix), mult
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size such as 4MiB, 512KiB or 1000", s)
	}
	return n * unit, nil
}
