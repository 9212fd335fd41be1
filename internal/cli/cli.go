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
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
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
	s := &streams{in: stdin, out: stdout, err: stderr, now: time.Now, random: rand.Reader, terminal: isTerminal(stdin)}
	return execute(newRoot(s), args, stdin, stdout, stderr)
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
	// terminal: in is a terminal, so a command may ask for what its flags
	// do not say; elsewhere (scripts, CI) a missing flag is a usage error.
	terminal bool
}

// isTerminal tells whether a stream is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newRoot(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "tally",
		Short: "Run a contribution-gated partners program out of a git repository",
		Long: `Tally keeps an open source project's partners program in a git repository:
credits, people, organisations, payments and applications are YAML files (the
ledger); tally validates them, computes rankings and eligibility, and writes
the reports.`,
		Version:       currentVersion().String(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("tally {{.Version}}\n")
	root.AddCommand(
		newValidate(s),
		newExplain(s),
		newReport(s),
		newThresholds(s),
		newImport(s),
		newIngest(s),
		newDiff(s),
		newEligibility(s),
		newHealth(s),
		newExport(s),
		newApply(s),
		newPeople(s),
		newAction(s, sourcesIngester{now: s.now}, os.Getenv),
		newSite(s),
		newForget(s),
		newVersion(s),
		newGenerate(s),
		newInit(s),
		newClaim(s),
	)
	// cobra's completion command writes its scripts to the out it sees
	// now, and prints its help for a shell it does not know: made
	// runnable, it rejects one instead.
	root.SetOut(s.out)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
	}
	return root
}
