package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The golden cases of tally validate live in testdata/invalid, one small
// broken ledger each with the exact output it must give. A case is one
// file, testdata/invalid/<case>.txtar: the base ledger (testdata/base,
// itself valid) with the case's files laid over it. The file is a txtar
// archive: a comment, then sections that each start with a line
// "-- name --":
//
//	What the case shows (the comment; optional).
//	-- args --
//	--max-file-size 200
//	-- people/carol.yaml --
//	name: Carol Example
//	-- credits/2026/10/github.yaml (deleted) --
//	-- people/dave.yaml (symlink) --
//	carol.yaml
//	-- want.txt --
//	ledger/people/carol.yaml:1:1: ... [schema]
//
// "args" holds more flags for validate, and "want.txt" its output, paths
// relative to the case. Every other section is a ledger file, named by
// its path in the ledger: it adds a file or replaces the base's. Marked
// " (deleted)" and empty, it takes a base file away; marked " (symlink)",
// it is a symbolic link to what its one line says. A case runs in a folder
// laid out as ledger/, args and want.txt, so that a link may point at
// want.txt, outside the ledger.
//
// The older form of a case, a folder testdata/invalid/<case>/ holding
// ledger/, want.txt and optionally args, works too; go test -convert
// turns such folders into .txtar cases.

var convert = flag.Bool("convert", false, "turn the golden cases kept as folders in testdata/invalid into .txtar files")

const (
	casesDir    = "testdata/invalid"
	baseLedger  = "testdata/base"
	deletedMark = " (deleted)"
	symlinkMark = " (symlink)"
)

// archive is a txtar file: a comment, then named sections.
type archive struct {
	comment []byte
	files   []archiveFile
}

type archiveFile struct {
	name string
	data []byte
}

// parseArchive reads a txtar file. A line "-- name --" starts a section;
// everything before the first is the comment.
func parseArchive(data []byte) *archive {
	a := &archive{}
	var cur *[]byte = &a.comment
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		if name, ok := sectionName(line); ok {
			a.files = append(a.files, archiveFile{name: name})
			cur = &a.files[len(a.files)-1].data
		} else {
			*cur = append(*cur, data[:len(data)-len(rest)]...)
		}
		data = rest
	}
	return a
}

func sectionName(line []byte) (string, bool) {
	s := string(line)
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	return strings.TrimSpace(s[3 : len(s)-3]), true
}

// format writes an archive back; a section that does not end with a line
// break gets one, as txtar has it.
func (a *archive) format() []byte {
	var b bytes.Buffer
	b.Write(a.comment)
	for _, f := range a.files {
		fmt.Fprintf(&b, "-- %s --\n", f.name)
		b.Write(f.data)
		if len(f.data) > 0 && f.data[len(f.data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func (a *archive) get(name string) ([]byte, bool) {
	for _, f := range a.files {
		if f.name == name {
			return f.data, true
		}
	}
	return nil, false
}

func (a *archive) set(name string, data []byte) {
	for i := range a.files {
		if a.files[i].name == name {
			a.files[i].data = data
			return
		}
	}
	a.files = append(a.files, archiveFile{name: name, data: data})
}

// goldenCase is one case, in either form.
type goldenCase struct {
	name string
	path string   // the .txtar file, or the case's folder
	txt  *archive // nil for a folder
}

// goldenCases lists the cases of both forms, by name.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	cases := casesIn(t, casesDir)
	if len(cases) == 0 {
		t.Fatal("no cases in " + casesDir)
	}
	return cases
}

// casesIn lists the cases in a folder.
func casesIn(t *testing.T, dir string) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch name, isArchive := strings.CutSuffix(e.Name(), ".txtar"); {
		case isArchive:
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cases = append(cases, goldenCase{name: name, path: path, txt: parseArchive(data)})
		case e.IsDir():
			cases = append(cases, goldenCase{name: e.Name(), path: path})
		}
	}
	slices.SortFunc(cases, func(a, b goldenCase) int { return strings.Compare(a.name, b.name) })
	return cases
}

// findCase returns the case of a name.
func findCase(t *testing.T, name string) goldenCase {
	t.Helper()
	for _, c := range goldenCases(t) {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no golden case %s in %s", name, casesDir)
	return goldenCase{}
}

// caseLedger lays out the golden case of a name and returns its ledger
// folder: a broken ledger for tests of other commands.
func caseLedger(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(findCase(t, name).dir(t), "ledger")
}

// want is the output the case expects.
func (c goldenCase) want(t *testing.T) []byte {
	t.Helper()
	if c.txt != nil {
		want, ok := c.txt.get("want.txt")
		if !ok {
			t.Fatalf("%s has no want.txt section (run with -update to add it)", c.path)
		}
		return want
	}
	want, err := os.ReadFile(filepath.Join(c.path, "want.txt"))
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	return want
}

// args are the flags the case adds to validate.
func (c goldenCase) args(t *testing.T) []string {
	t.Helper()
	if c.txt != nil {
		args, _ := c.txt.get("args")
		return strings.Fields(string(args))
	}
	args, err := os.ReadFile(filepath.Join(c.path, "args"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Fields(string(args))
}

// setWant rewrites the output the case expects.
func (c goldenCase) setWant(t *testing.T, want []byte) {
	t.Helper()
	var err error
	if c.txt != nil {
		c.txt.set("want.txt", want)
		err = os.WriteFile(c.path, c.txt.format(), 0o644)
	} else {
		err = os.WriteFile(filepath.Join(c.path, "want.txt"), want, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// dir returns a folder laid out as ledger/, args and want.txt: the case's
// own, or for a .txtar case a new one made from the base ledger.
func (c goldenCase) dir(t *testing.T) string {
	t.Helper()
	if c.txt == nil {
		return c.path
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "ledger")
	if err := os.CopyFS(root, os.DirFS(baseLedger)); err != nil {
		t.Fatal(err)
	}
	for _, f := range c.txt.files {
		if err := layFile(dir, root, f); err != nil {
			t.Fatalf("%s: section %s: %v", c.path, f.name, err)
		}
	}
	return dir
}

// layFile writes one section of a case into its folder.
func layFile(dir, root string, f archiveFile) error {
	if f.name == "args" || f.name == "want.txt" {
		return os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644)
	}
	if path, ok := strings.CutSuffix(f.name, deletedMark); ok {
		if len(f.data) > 0 {
			return fmt.Errorf("a deleted file has no content")
		}
		// A typo must not pass for a deletion.
		return os.Remove(filepath.Join(root, filepath.FromSlash(path)))
	}
	path, link := strings.CutSuffix(f.name, symlinkMark)
	name := filepath.Join(root, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if link {
		if err := os.Remove(name); err != nil && !os.IsNotExist(err) {
			return err
		}
		return os.Symlink(strings.TrimSpace(string(f.data)), name)
	}
	return os.WriteFile(name, f.data, 0o644)
}

// overlay returns the case's ledger as sections laid over the base: for
// a .txtar case its own, for a folder what differs from the base ledger.
func (c goldenCase) overlay(t *testing.T) []archiveFile {
	t.Helper()
	if c.txt != nil {
		var out []archiveFile
		for _, f := range c.txt.files {
			if f.name != "args" && f.name != "want.txt" {
				out = append(out, f)
			}
		}
		return out
	}
	base, files := readTree(t, baseLedger), readTree(t, filepath.Join(c.path, "ledger"))
	var out []archiveFile
	for path, f := range files {
		if b, ok := base[path]; !ok || f.name != b.name || !bytes.Equal(f.data, b.data) {
			out = append(out, f)
		}
	}
	for path := range base {
		if _, ok := files[path]; !ok {
			out = append(out, archiveFile{name: path + deletedMark})
		}
	}
	slices.SortFunc(out, func(a, b archiveFile) int { return strings.Compare(a.name, b.name) })
	return out
}

// readTree reads a ledger folder as sections, by slash path: a link as
// its target, marked.
func readTree(t *testing.T, root string) map[string]archiveFile {
	t.Helper()
	out := map[string]archiveFile{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			out[rel] = archiveFile{name: rel + symlinkMark, data: []byte(target + "\n")}
			return err
		}
		data, err := os.ReadFile(p)
		out[rel] = archiveFile{name: rel, data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// toArchive turns a folder case into a .txtar file and removes the
// folder, once the archive is known to lay out the same ledger.
func (c goldenCase) toArchive(t *testing.T) {
	t.Helper()
	a := &archive{}
	if args := c.args(t); len(args) > 0 {
		a.set("args", []byte(strings.Join(args, " ")+"\n"))
	}
	a.files = append(a.files, c.overlay(t)...)
	a.set("want.txt", c.want(t))
	converted := goldenCase{name: c.name, path: c.path + ".txtar", txt: parseArchive(a.format())}
	got, want := readTree(t, filepath.Join(converted.dir(t), "ledger")), readTree(t, filepath.Join(c.path, "ledger"))
	if len(got) != len(want) {
		t.Fatalf("%s: the archive lays out %d files, the folder has %d", c.name, len(got), len(want))
	}
	for path, f := range want {
		if g := got[path]; g.name != f.name || !bytes.Equal(g.data, f.data) {
			t.Fatalf("%s: the archive does not lay out %s as the folder has it", c.name, path)
		}
	}
	if err := os.WriteFile(converted.path, a.format(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(c.path); err != nil {
		t.Fatal(err)
	}
}
