package cli

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tallyledger/tally/internal/check"
)

// checksDoc is docs/checks.md, relative to this package.
const checksDoc = "../../docs/checks.md"

var findingRule = regexp.MustCompile(`\[([a-z0-9-]+)\]$`)

// rulesFound maps each rule the golden cases' outputs show to the first
// case that shows it.
func rulesFound(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	for _, c := range goldenCases(t) {
		for _, line := range strings.Split(strings.TrimSpace(string(c.want(t))), "\n") {
			if m := findingRule.FindStringSubmatch(line); m != nil && found[m[1]] == "" {
				found[m[1]] = c.name
			}
		}
	}
	return found
}

// TestRuleRegistry keeps check.Rules the one registry of what validation
// checks: every rule a golden case shows has an entry, and every entry a
// summary and an example case that shows its findings.
func TestRuleRegistry(t *testing.T) {
	found := rulesFound(t)
	cases := map[string]goldenCase{}
	for _, c := range goldenCases(t) {
		cases[c.name] = c
	}
	entries := map[string]bool{}
	for _, r := range check.Rules {
		if entries[r.Name] {
			t.Errorf("rule %s has two entries in check.Rules", r.Name)
		}
		entries[r.Name] = true
		if r.Summary == "" {
			t.Errorf("rule %s has no Summary in check.Rules", r.Name)
		}
		c, ok := cases[r.Example]
		switch {
		case r.Example == "":
			t.Errorf("rule %s has no Example in check.Rules: name the golden case in %s that shows it", r.Name, casesDir)
		case !ok:
			t.Errorf("rule %s: its Example %s is not a golden case in %s", r.Name, r.Example, casesDir)
		case !bytes.Contains(c.want(t), []byte("["+r.Name+"]\n")):
			t.Errorf("rule %s: its Example %s shows no finding of it", r.Name, r.Example)
		}
		if found[r.Name] == "" {
			t.Errorf("rule %s has no golden case in %s", r.Name, casesDir)
		}
	}
	for name, c := range found {
		if !entries[name] {
			t.Errorf("rule %s (found in the golden case %s) has no entry in check.Rules (internal/check/check.go): "+
				"add {Name: %q, Summary: ..., Example: %q}", name, c, name, c)
		}
	}
}

// TestChecksDoc keeps docs/checks.md as the registry and the golden cases
// make it; go test -update rewrites it.
func TestChecksDoc(t *testing.T) {
	got := checksMarkdown(t)
	if *update {
		if err := os.WriteFile(checksDoc, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(checksDoc)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Error("docs/checks.md is stale: run go test ./internal/cli -update")
	}
}

// checksMarkdown writes docs/checks.md: each rule with its example case,
// the case's files and the exact output, as the tests run it.
func checksMarkdown(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# Checks\n\n")
	b.WriteString("<!-- Made by `go test ./internal/cli -update` from check.Rules (internal/check/check.go) and the golden cases in internal/cli/testdata/invalid: edit those, not this file. -->\n\n")
	b.WriteString("`tally validate` reads every file of the ledger, judges each file alone (its place, its encoding, its YAML, its schema), " +
		"then the ledger as a whole, and prints every finding as `path:line:col: message [rule]`, sorted. " +
		"`tally validate --list-rules` lists the rules; `--list-rules --json` for scripts.\n\n")
	b.WriteString("Each example below is a golden case of the tests, shown whole: the [base ledger](#the-base-ledger) with the case's files laid over it, " +
		"and exactly what `tally validate` prints for it.\n\n")
	b.WriteString("| Rule | What it demands |\n|---|---|\n")
	for _, r := range check.Rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", r.Name, r.Name, markdownText.Replace(r.Summary))
	}
	b.WriteString("\n")
	for _, across := range []bool{false, true} {
		if across {
			b.WriteString("## Across records\n\n")
		} else {
			b.WriteString("## Each file alone\n\n")
		}
		for _, r := range check.Rules {
			if r.AcrossRecords() != across {
				continue
			}
			c := findCase(t, r.Example)
			fmt.Fprintf(&b, "### `%s`\n\n", r.Name)
			b.WriteString(sentence(markdownText.Replace(r.Summary)) + "\n\n")
			rel := path.Join("internal/cli", casesDir, path.Base(c.path))
			fmt.Fprintf(&b, "Example: [%s](../%s)", rel, rel)
			if c.txt != nil && len(bytes.TrimSpace(c.txt.comment)) > 0 {
				b.WriteString(". " + strings.Join(strings.Fields(string(c.txt.comment)), " "))
			}
			b.WriteString("\n\n")
			for _, f := range c.overlay(t) {
				writeSection(&b, f)
			}
			command := strings.Join(append([]string{"tally validate --ledger ledger"}, c.args(t)...), " ")
			fmt.Fprintf(&b, "`%s` prints:\n\n", command)
			writeBlock(&b, "", c.want(t))
		}
	}
	b.WriteString("## The base ledger\n\nEvery example starts from these files (internal/cli/testdata/base), a ledger without findings.\n\n")
	for _, f := range sortedTree(t, baseLedger) {
		writeSection(&b, f)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// markdownText keeps a summary's "<id>" from reading as an HTML tag.
var markdownText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// writeSection shows one file of a case.
func writeSection(b *bytes.Buffer, f archiveFile) {
	if name, ok := strings.CutSuffix(f.name, deletedMark); ok {
		fmt.Fprintf(b, "`ledger/%s` is taken away from the base ledger.\n\n", name)
		return
	}
	if name, ok := strings.CutSuffix(f.name, symlinkMark); ok {
		fmt.Fprintf(b, "`ledger/%s` is a symbolic link to `%s`.\n\n", name, strings.TrimSpace(string(f.data)))
		return
	}
	if len(f.data) == 0 {
		fmt.Fprintf(b, "`ledger/%s` is empty.\n\n", f.name)
		return
	}
	fmt.Fprintf(b, "`ledger/%s`:\n\n", f.name)
	lang := ""
	if strings.HasSuffix(f.name, ".yaml") || strings.HasSuffix(f.name, ".yml") {
		lang = "yaml"
	}
	if !utf8.Valid(f.data) {
		b.WriteString("Bytes that are not UTF-8 are shown as \\xNN.\n\n")
	}
	writeBlock(b, lang, f.data)
}

// writeBlock writes text as a fenced code block, bytes that are not UTF-8
// as \xNN.
func writeBlock(b *bytes.Buffer, lang string, data []byte) {
	var text strings.Builder
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&text, `\x%02x`, data[0])
		} else {
			text.Write(data[:size])
		}
		data = data[size:]
	}
	fence := "```"
	for strings.Contains(text.String(), fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "%s%s\n%s", fence, lang, text.String())
	if !strings.HasSuffix(text.String(), "\n") {
		b.WriteByte('\n')
	}
	b.WriteString(fence + "\n\n")
}

// sortedTree lists a folder's files as sections, by path.
func sortedTree(t *testing.T, root string) []archiveFile {
	t.Helper()
	tree := readTree(t, root)
	var out []archiveFile
	for _, p := range slices.Sorted(maps.Keys(tree)) {
		out = append(out, tree[p])
	}
	return out
}

// sentence capitalises a summary and ends it with a full stop.
func sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[size:] + "."
}
