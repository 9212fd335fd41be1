// Package ledger reads a ledger folder into plain types.
//
// Every file is parsed once into yaml.Node trees (by fastyaml, or yaml.v3
// for files beyond plain YAML), so that each value keeps its line and
// column; from that one parse come the generic tree the JSON Schemas
// validate and the typed records everything else computes with.
// Files are read on all cores. Anything wrong with a file (bad YAML, a file
// out of place, a link out of the ledger, a bomb) is a Finding, never a
// crash, and a broken file never hides what is wrong in the others.
package ledger

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/fastyaml"
	"github.com/tallyledger/tally/internal/schema"
)

// DefaultMaxFileSize is the largest file the loader reads. A credit shard
// of a busy month is a few MiB at most; anything larger is a mistake.
const DefaultMaxFileSize = 4 << 20

// Options tune Load. The zero value is ready to use.
type Options struct {
	// MaxFileSize in bytes; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Workers parse files in parallel; 0 means one per core.
	Workers int
	// Schemas validate each file; nil means the embedded ones.
	Schemas *schema.Set
	// Progress, when set, is called from the workers after each file with
	// the number of files done so far and the total. It must be safe for
	// concurrent use and quick.
	Progress func(done, total int)
	// Include, when set, limits loading to the files (slash paths inside
	// the ledger) for which it returns true.
	Include func(path string) bool
	// Trusted skips what only validation needs (the schemas, duplicate
	// keys): for reading a ledger already validated, such as a past commit.
	Trusted bool
}

// Load reads the ledger at root. It returns an error only when the ledger
// cannot be read at all (no such folder, no permission); everything wrong
// inside it comes back as findings next to whatever could be loaded.
func Load(root string, opt Options) (*Ledger, []Finding, error) {
	return LoadAdding(root, nil, opt)
}

// LoadAdding reads the ledger at root as it would be with the files of
// extra (slash paths inside the ledger -> contents) written into it, each
// replacing the file of its path: records are checked before they are
// written.
func LoadAdding(root string, extra map[string][]byte, opt Options) (*Ledger, []Finding, error) {
	opt.MaxFileSize = cmp.Or(opt.MaxFileSize, DefaultMaxFileSize)
	info, err := os.Stat(root)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a folder", root)
	}
	files, findings, err := walk(root, opt.Include)
	if err != nil {
		return nil, nil, err
	}
	var added []string
	for p := range extra {
		if _, onDisk := slices.BinarySearch(files, p); !onDisk {
			added = append(added, p)
		}
	}
	files = append(files, added...)
	sort.Strings(files)
	read := func(path string) ([]byte, error) {
		if data, ok := extra[path]; ok {
			return data, nil
		}
		return readAtMost(filepath.Join(root, filepath.FromSlash(path)), opt.MaxFileSize)
	}
	return load(files, findings, read, opt)
}

// LoadFS reads a ledger from a file system, such as a git revision's tree.
// Links in it are findings, never followed.
func LoadFS(fsys fs.FS, opt Options) (*Ledger, []Finding, error) {
	opt.MaxFileSize = cmp.Or(opt.MaxFileSize, DefaultMaxFileSize)
	var files []string
	var findings []Finding
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return nil
		case strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			return nil
		case opt.Include != nil && !opt.Include(p):
			return nil
		case !d.Type().IsRegular():
			findings = append(findings, Finding{Path: p, Line: 1, Col: 1, Rule: "symlink", Message: "links and special files are not followed; ledger data must be regular files"})
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	read := func(path string) ([]byte, error) {
		f, err := fsys.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		// A file system that knows sizes (a git tree does) saves growing
		// the buffer.
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > 0 && info.Size() <= opt.MaxFileSize {
			data := make([]byte, info.Size()+1)
			n, err := io.ReadFull(f, data)
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return data[:n], nil
			}
			if err != nil {
				return nil, err
			}
			return readLimited(io.MultiReader(bytes.NewReader(data), f), opt.MaxFileSize)
		}
		return readLimited(f, opt.MaxFileSize)
	}
	return load(files, findings, read, opt)
}

// LoadFiles reads a ledger of the given files (slash paths inside it)
// through read: for checking what a ledger would be after some changes,
// before any is written.
func LoadFiles(files []string, read func(path string) ([]byte, error), opt Options) (*Ledger, []Finding, error) {
	opt.MaxFileSize = cmp.Or(opt.MaxFileSize, DefaultMaxFileSize)
	files = slices.Sorted(slices.Values(files))
	return load(files, nil, read, opt)
}

// load reads files (sorted slash paths) on all cores and assembles the
// ledger in path order.
func load(files []string, findings []Finding, read func(string) ([]byte, error), opt Options) (*Ledger, []Finding, error) {
	if opt.Workers == 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Schemas == nil && !opt.Trusted {
		s, err := schema.Default()
		if err != nil {
			return nil, nil, err
		}
		opt.Schemas = s
	}
	results := make([]fileResult, len(files))
	var wg sync.WaitGroup
	var done atomic.Int64
	next := make(chan int)
	for w := 0; w < opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each file is decoded before the next is parsed, so one
			// parser's memory serves all of a worker's files.
			var ps fastyaml.Parser
			for i := range next {
				results[i] = loadFile(&ps, read, files[i], FileID(i), opt)
				if opt.Progress != nil {
					opt.Progress(int(done.Add(1)), len(files))
				}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	for _, r := range results {
		if r.err != nil {
			return nil, nil, r.err
		}
	}
	l := &Ledger{Notes: map[string]string{}}
	l.Files = files
	for i, f := range files {
		if results[i].unloaded {
			l.Unloaded = append(l.Unloaded, f)
		}
	}
	findings = append(findings, l.merge(results)...)
	return l, SortFindings(findings), nil
}

// walk lists the ledger's files, as slash paths inside it, in path order.
// Names starting with a dot (.git, .gitkeep, editor files) are not part of
// the ledger.
func walk(root string, include func(string) bool) ([]string, []Finding, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, nil, err
	}
	var files []string
	var findings []Finding
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || (include != nil && !include(rel)) {
			return nil
		}
		fileAt := func(rule, msg string) {
			findings = append(findings, Finding{Path: rel, Line: 1, Col: 1, Rule: rule, Message: msg})
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				fileAt("symlink", "this symbolic link is broken; remove it or point it at a file inside the ledger")
				return nil
			}
			if r, err := filepath.Rel(realRoot, target); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				link, _ := os.Readlink(p)
				fileAt("symlink", fmt.Sprintf("this symbolic link points outside the ledger (to %s); ledger data must live in the ledger", link))
				return nil
			}
			if ti, err := os.Stat(target); err != nil || ti.IsDir() {
				fileAt("symlink", "links to folders are not followed; move the folder here instead")
				return nil
			}
			files = append(files, rel)
			return nil
		}
		if !d.Type().IsRegular() {
			fileAt("file-kind", "only regular files belong in the ledger")
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(files)
	return files, findings, nil
}

// fileResult is what one file contributed.
type fileResult struct {
	err      error // the file could not be read at all
	unloaded bool  // the file gave no record
	findings []Finding
	place    Place
	note     string
	program  *Program
	thresh   *Thresholds
	person   *Person
	org      *Organization
	credits  []Credit
	payments []Payment
	app      *Application
	conduct  *Conduct
	roadmap  *RoadmapItem
	source   *SourceState
	logo     *Logo
}

// loadLogo checks a logo (unless the ledger is trusted) and keeps its
// bytes: a PNG is binary, so it skips the text checks of other files.
func loadLogo(file string, id FileID, place Place, data []byte, opt Options) fileResult {
	r := fileResult{place: place}
	format := LogoFormats[path.Ext(file)]
	if !opt.Trusted {
		r.findings = checkLogo(file, format, data)
	}
	if len(r.findings) > 0 {
		r.findings = limitFindings(r.findings)
		r.unloaded = true
		return r
	}
	r.logo = &Logo{Loc: Loc{File: id, Pos: Pos{1, 1}}, Org: place.Name, Format: format, Data: data}
	return r
}

func loadFile(ps *fastyaml.Parser, read func(string) ([]byte, error), path string, id FileID, opt Options) (r fileResult) {
	fail := func(rule string, p Pos, msg string) fileResult {
		r.findings = append(r.findings, At(path, p, "", rule, msg))
		r.unloaded = true
		return r
	}
	place, err := Classify(path)
	if err != nil {
		return fail("file-kind", Pos{1, 1}, err.Error())
	}
	r.place = place
	data, err := read(path)
	if errors.Is(err, errTooLarge) {
		return fail("file-size", Pos{1, 1}, fmt.Sprintf("the file is larger than the limit of %s; split it (credit shards are per month and per source)",
			byteSize(opt.MaxFileSize)))
	}
	if err != nil {
		r.err = err
		return r
	}
	if place.Kind == LogoFile {
		return loadLogo(path, id, place, data, opt)
	}
	if p, ok := invalidUTF8(data); !ok {
		return fail("encoding", p, "the file is not valid UTF-8 text; save it as UTF-8")
	}
	if place.Kind == NoteFile {
		r.note = string(data)
		return r
	}
	doc, fs := parseYAML(ps, path, data, !opt.Trusted)
	r.findings = append(r.findings, fs...)
	if doc == nil {
		r.unloaded = true
		return r
	}
	if doc.root == nil {
		return fail("schema", Pos{1, 1}, fmt.Sprintf("the file is empty; it should hold %s", describe(place.Kind)))
	}
	if !opt.Trusted {
		var lc locator
		for _, e := range opt.Schemas.Validate(place.Kind.Schema(), doc.tree) {
			r.findings = append(r.findings, schemaFinding(&lc, path, doc.root, e))
		}
	}
	d := &decoder{path: path, file: id}
	switch place.Kind {
	case ProgramFile:
		r.program = d.program(doc.root)
	case ThresholdsFile:
		r.thresh = d.thresholds(doc.root)
	case PersonFile:
		r.person = d.person(doc.root, place.Name)
	case OrganizationFile:
		r.org = d.organization(doc.root, place.Name)
	case CreditsFile:
		fields(doc.root, func(k string, v *yaml.Node) {
			if k != "credits" {
				return
			}
			list := items(v)
			r.credits = make([]Credit, 0, len(list))
			for i, c := range list {
				r.credits = append(r.credits, d.credit(c, fmt.Sprintf("credits[%d]", i), "", ""))
			}
		})
	case ClaimFile:
		id := "claim:" + strings.TrimSuffix(strings.TrimPrefix(path, "claims/"), ".yaml")
		r.credits = []Credit{d.credit(doc.root, "", id, place.Dir)}
	case FundingFile:
		fields(doc.root, func(k string, v *yaml.Node) {
			if k != "payments" {
				return
			}
			for i, c := range items(v) {
				r.payments = append(r.payments, d.payment(c, fmt.Sprintf("payments[%d]", i)))
			}
		})
	case ApplicationFile:
		r.app = d.application(doc.root, place.Dir)
	case ConductFile:
		r.conduct = d.conduct(doc.root)
	case RoadmapFile:
		r.roadmap = d.roadmap(doc.root, place.Dir, place.Seq)
	case SourceFile:
		r.source = d.source(doc.root, place.Name)
	}
	r.findings = limitFindings(append(r.findings, d.findings...))
	return r
}

// merge gathers the files' records in path order.
func (l *Ledger) merge(results []fileResult) []Finding {
	var findings []Finding
	nCredits, nPayments := 0, 0
	for _, r := range results {
		nCredits += len(r.credits)
		nPayments += len(r.payments)
	}
	l.Credits = make([]Credit, 0, nCredits)
	l.Payments = make([]Payment, 0, nPayments)
	for _, r := range results {
		findings = append(findings, r.findings...)
		switch {
		case r.program != nil:
			l.Program = r.program
		case r.thresh != nil:
			l.Thresholds = r.thresh
		case r.person != nil:
			l.People = append(l.People, r.person)
		case r.org != nil:
			l.Organizations = append(l.Organizations, r.org)
		case r.app != nil:
			l.Applications = append(l.Applications, r.app)
		case r.conduct != nil:
			l.Conduct = append(l.Conduct, r.conduct)
		case r.roadmap != nil:
			l.Roadmap = append(l.Roadmap, r.roadmap)
		case r.source != nil:
			l.Sources = append(l.Sources, r.source)
		case r.logo != nil:
			l.Logos = append(l.Logos, r.logo)
		case r.place.Kind == NoteFile:
			l.Notes[r.place.Name] = r.note
		}
		l.Credits = append(l.Credits, r.credits...)
		l.Payments = append(l.Payments, r.payments...)
	}
	return findings
}

// schemaFinding places a schema error at the key or value it is about.
// The message names the record it is in (credits[3]: unknown key "titel").
func schemaFinding(lc *locator, path string, root *yaml.Node, e schema.Error) Finding {
	n, _ := lc.lookup(root, e.Path)
	field := e.Path
	if e.Key != "" {
		field = append(append([]string(nil), e.Path...), e.Key)
		if n = deref(n); e.Unknown && n.Kind == yaml.MappingNode {
			if k := lc.keyNode(n, e.Key); k >= 0 {
				n = n.Content[k]
			}
		}
	}
	msg := e.Message
	if where := fieldName(e.Path); where != "" {
		msg = where + ": " + msg
	}
	return At(path, pos(n), fieldName(field), "schema", msg)
}

func describe(k FileKind) string {
	switch k {
	case CreditsFile:
		return "a list of credits under the key \"credits\""
	case FundingFile:
		return "a list of payments under the key \"payments\""
	}
	s := k.Schema()
	if strings.IndexByte("aeiou", s[0]) >= 0 {
		return "an " + s + " record"
	}
	return "a " + s + " record"
}

var errTooLarge = errors.New("file too large")

// readAtMost reads a file, refusing to read more than limit bytes, so that
// a huge file costs no memory.
func readAtMost(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit)
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = errTooLarge
	}
	return data, err
}

// invalidUTF8 finds the first byte that is not UTF-8, as a line and column.
func invalidUTF8(data []byte) (Pos, bool) {
	if utf8.Valid(data) {
		return Pos{}, true
	}
	line, col := int32(1), int32(1)
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return Pos{line, col}, false
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		col++
		i += size
	}
	return Pos{line, col}, false
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// LoadToAdd reads, without validating them, the files of the ledger at dir
// that include accepts, for a command that adds records to the ledger. It
// refuses a ledger in which a file that guard names cannot be read: the
// records it holds would be invisible, and so added twice. records says
// what would be, for the message ("payments").
func LoadToAdd(dir string, include, guard func(path string) bool, records string) (*Ledger, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the ledger: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("cannot read the ledger: %s is not a folder", dir)
	}
	l, _, err := Load(dir, Options{Trusted: true, Include: include})
	if err != nil {
		return nil, fmt.Errorf("cannot read the ledger: %w", err)
	}
	for _, f := range l.Unloaded {
		if guard(f) {
			return nil, fmt.Errorf("%s cannot be read, so %s could be written twice; fix it first (tally validate says what is wrong)",
				filepath.ToSlash(filepath.Join(dir, f)), records)
		}
	}
	return l, nil
}
