package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/scaffold"
	"github.com/tallyledger/tally/internal/words"
)

type initOptions struct {
	dir, name, lead, actionRef string
}

func newInit(s *streams) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a program repository: the ledger's rules, the workflows, CODEOWNERS",
		Long: `Init writes a working program repository into DIR (default: the current folder):

  ledger/program.yaml           the rules: kinds and weights, partner rules, the
                                lead as the leadership and as the areas' lead
  ledger/thresholds.yaml        the minimum monthly payment per country
  ledger/people/<lead>.yaml     the lead, with their GitHub identity
  .github/workflows/            the pull request check, the monthly run and the
                                partners directory on GitHub Pages, using tally's
                                Action at this binary's release (or --action-ref)
  .github/CODEOWNERS            the lead reviews the rules, people, claims,
                                reports and workflows
  README.md                     how the program works

It never overwrites a file: one that exists is kept, and init says so. On a
terminal it asks for what the flags do not give; elsewhere --name and --lead
are required. tally validate is clean on the result, and tally report works
on it at once.`,
		Example: `  tally init lumen-partners --name "Lumen Community" --lead maya-okafor
  tally init    # on a terminal: asks for the name and the lead`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			return runInit(s, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.name, "name", "", "the program's name, shown in the reports")
	f.StringVar(&o.lead, "lead", "", "the GitHub login of the program's lead")
	f.StringVar(&o.actionRef, "action-ref", "", "the ref of tally's Action the workflows use: a release tag or a commit (default: this binary's)")
	return cmd
}

func runInit(s *streams, o initOptions) error {
	ask := newAsker(s)
	if o.name == "" {
		def := filepath.Base(absDir(o.dir))
		name, err := ask.line("--name", "The program's name", def, func(v string) error { return nil })
		if err != nil {
			return err
		}
		o.name = name
	}
	if o.lead == "" {
		lead, err := ask.line("--lead", "The GitHub login of the program's lead", "", scaffold.CheckLogin)
		if err != nil {
			return err
		}
		o.lead = lead
	}
	if o.actionRef == "" {
		if o.actionRef = currentVersion().actionRef(); o.actionRef == "" {
			return &exitError{code: exitUsage, err: errors.New("--action-ref: this tally is a development build, so it cannot name the release of the Action that matches it; give a release tag (v1.2.3) or a commit of tallyledger/tally")}
		}
	}
	files, err := scaffold.Files(scaffold.Options{Name: o.name, Lead: o.lead, ActionRef: o.actionRef})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}

	var kept []string
	for _, f := range files {
		name := filepath.Join(o.dir, filepath.FromSlash(f.Path))
		err := atomicfile.WriteNew(name, f.Data, 0o644)
		switch {
		case errors.Is(err, fs.ErrExist):
			kept = append(kept, f.Path)
		case err != nil:
			return &exitError{code: exitUsage, err: fmt.Errorf("writing %s: %w", name, err)}
		default:
			fmt.Fprintf(s.err, "wrote %s\n", filepath.ToSlash(name))
		}
	}
	for _, p := range kept {
		fmt.Fprintf(s.err, "kept %s: it exists, so init left it as it is\n", filepath.ToSlash(filepath.Join(o.dir, p)))
	}

	ledgerDir := filepath.Join(o.dir, "ledger")
	_, findings, err := loadAndCheck(ledgerDir, ledger.Options{})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if len(findings) > 0 {
		// Only a kept file can cause them: say so, and leave it to its owner.
		relocate(findings, ledgerDir)
		for _, f := range findings {
			fmt.Fprintln(s.err, f)
		}
		fmt.Fprintf(s.err, "%s in the files init kept: fix them, then run tally validate --ledger %s\n", words.Plural(len(findings), "finding"), ledgerDir)
	}
	printNextSteps(s.out, o.dir)
	return nil
}

func printNextSteps(w io.Writer, dir string) {
	cd := ""
	if filepath.Clean(dir) != "." {
		cd = "cd " + shellWord(dir) + "\n       "
	}
	fmt.Fprintf(w, `Next steps:
  1. Push it to a new GitHub repository:
       %sgit init -b main && git add -A && git commit -m "Start the partners program"
       git remote add origin https://github.com/OWNER/REPOSITORY.git && git push -u origin main
  2. Set the secrets so that the monthly pull request is opened by a GitHub App, and the
     ledger check runs on it: in Settings > Environments > reports, limit the deployment
     branches to the default branch, and add the variable TALLY_APP_CLIENT_ID and the secret
     TALLY_APP_PRIVATE_KEY of an App with Contents, Pull requests, Commit statuses and
     Issues read and write. Without them the workflow token opens it (tick "Allow GitHub Actions to
     create and approve pull requests" in Settings > Actions > General).
  3. Enable Pages (Settings > Pages > Source: GitHub Actions) for the partners directory,
     and protect the default branch: require a pull request, review from Code Owners, and
     the status check "check".
`, cd)
}

// shellWord quotes a path for a shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// asker asks on a terminal for what a flag did not give.
type asker struct {
	s  *streams
	in *bufio.Reader
}

func newAsker(s *streams) *asker { return &asker{s: s, in: bufio.NewReader(s.in)} }

// line asks for the value of flag until check accepts it; an empty answer
// takes def when there is one. Without a terminal the flag is required.
func (a *asker) line(flag, question, def string, check func(string) error) (string, error) {
	if !a.s.terminal {
		return "", &exitError{code: exitUsage, err: fmt.Errorf("%s is required when standard input is not a terminal", flag)}
	}
	for {
		if def != "" {
			fmt.Fprintf(a.s.err, "%s [%s]: ", question, def)
		} else {
			fmt.Fprintf(a.s.err, "%s: ", question)
		}
		text, err := a.in.ReadString('\n')
		answer := strings.TrimSpace(text)
		if answer == "" && def != "" {
			answer = def
		}
		if answer != "" {
			cerr := check(answer)
			if cerr == nil {
				return answer, nil
			}
			fmt.Fprintln(a.s.err, cerr)
		}
		if err != nil { // the input ended before an answer
			return "", &exitError{code: exitUsage, err: fmt.Errorf("no answer for %s: give it as a flag", flag)}
		}
	}
}
