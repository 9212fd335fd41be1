package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandsDoc is docs/commands.md, relative to this package.
const commandsDoc = "../../docs/commands.md"

// docRoot is the command tree as a user meets it.
func docRoot() *cobra.Command {
	var out bytes.Buffer
	return newRoot(&streams{in: strings.NewReader(""), out: &out, err: &out, now: time.Now})
}

// documented are the commands the reference shows: every one a user can
// run, in the order tally --help lists them.
func documented(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, sub := range c.Commands() {
		if sub.Hidden || sub.Name() == "help" {
			continue
		}
		out = append(out, sub)
		out = append(out, documented(sub)...)
	}
	return out
}

// TestEveryCommandIsDocumented: each command says what it does in a
// sentence and at length, and each flag says what it is for.
func TestEveryCommandIsDocumented(t *testing.T) {
	for _, c := range documented(docRoot()) {
		if c.Short == "" {
			t.Errorf("%s has no Short", c.CommandPath())
		}
		if c.Long == "" && !c.HasSubCommands() && !strings.HasPrefix(c.CommandPath(), "tally completion ") {
			t.Errorf("%s has no Long help", c.CommandPath())
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if strings.TrimSpace(f.Usage) == "" {
				t.Errorf("%s --%s has no usage", c.CommandPath(), f.Name)
			}
		})
	}
}

// TestCommandsDoc keeps docs/commands.md as the command tree makes it; go
// test -update rewrites it.
func TestCommandsDoc(t *testing.T) {
	got := commandsMarkdown()
	if *update {
		if err := os.WriteFile(commandsDoc, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(commandsDoc)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Error("docs/commands.md is stale: run go test ./internal/cli -update")
	}
}

// commandsMarkdown writes the reference of every command: its usage, its
// help and its flags, as tally help prints them.
func commandsMarkdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Commands\n\n")
	b.WriteString("<!-- Made by `go test ./internal/cli -update` from the command tree (internal/cli): edit the commands' help, not this file. -->\n\n")
	b.WriteString("Every command of `tally`, as `tally help COMMAND` explains it. Commands that read the ledger take\n`--ledger DIR` (default `ledger`); read commands take `--json` for scripts.\n\n")
	cmds := documented(docRoot())
	for _, c := range cmds {
		anchor := strings.ReplaceAll(c.CommandPath(), " ", "-")
		fmt.Fprintf(&b, "- [`%s`](#%s): %s\n", c.CommandPath(), anchor, c.Short)
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n", c.CommandPath(), strings.TrimSuffix(c.Short, "."))
		if c.Runnable() {
			fmt.Fprintf(&b, "\n    %s\n", c.UseLine())
		}
		if c.Long != "" {
			fmt.Fprintf(&b, "\n%s\n", indentBlock(c.Long))
		}
		if c.Example != "" {
			fmt.Fprintf(&b, "\nExamples:\n\n%s\n", indentBlock(c.Example))
		}
		if flags := c.LocalFlags().FlagUsages(); flags != "" {
			fmt.Fprintf(&b, "\nFlags:\n\n%s", indentBlock(strings.TrimRight(flags, "\n")))
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// indentBlock makes text a Markdown code block: the help is laid out for a
// terminal, in lines that must not be reflowed.
func indentBlock(text string) string {
	var b strings.Builder
	for line := range strings.Lines(strings.TrimRight(text, "\n") + "\n") {
		if strings.TrimSpace(line) == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString("    " + strings.TrimLeft(line, "\n"))
	}
	return strings.TrimRight(b.String(), "\n")
}
