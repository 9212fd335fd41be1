// Package cli is tally's command line: it parses flags, calls the packages
// that do the work and turns their results into output and exit codes.
// Main takes its streams as arguments so that tests run the real command
// line without a subprocess.
package cli

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	exitOK       = 0
	exitFindings = 1 // the ledger has findings
	exitUsage    = 2 // bad flags or arguments, or the ledger cannot be read
)

// exitError carries an exit code out of a command's run function.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

// Main runs tally with args (without the program name) and returns the
// exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(newRoot(&streams{in: stdin, out: stdout, err: stderr, now: time.Now, random: rand.Reader}), args, stdin, stdout, stderr)
}

// execute runs a command tree and turns its error into an exit code.
func execute(root *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "tally:", ee.err)
		}
		return ee.code
	}
	// Everything else cobra returns is a usage problem: an unknown command
	// or flag, a missing argument.
	fmt.Fprintf(stderr, "tally: %v\nRun 'tally --help' for usage.\n", err)
	return exitUsage
}

// streams are a command's input and outputs, and its clock: only commands
// that write today's date read it.
type streams struct {
	in       io.Reader
	out, err io.Writer
	now      func() time.Time
	random   io.Reader // where the commands that make unguessable names read them
}

func newRoot(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "tally",
		Short: "Run a contribution-gated partners program out of a git repository",
		Long: `Tally keeps an open source project's partners program in a git repository:
credits, people, organisations, payments and applications are YAML files (the
ledger); tally validates them, computes rankings and eligibility, and writes
the reports.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newValidate(s),
		newExplain(s),
		newReport(s),
		newThresholds(s),
		newImport(s),
		newIngest(s),
		newDiff(s),
		newEligibility(s),
		newApply(s),
		newPeople(s),
		newAction(s, githubIngester{now: s.now}),
		newSite(s),
		newForget(s),
		newVersion(s),
		newGenerate(s),
	)
	return root
}

func newVersion(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print tally's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(s.out, "tally", version())
			return nil
		},
	}
}

// version is the module version when built from a tagged module, else the
// VCS revision the binary was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			dirty = kv.Value == "true"
		}
	}
	if rev == "" {
		return "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "(devel) " + rev
}
