package gitrev

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Tree is a folder of a commit as a read-only fs.FS. Its listing comes
// from one git ls-tree; file contents from one long-running
// git cat-file --batch, which answers requests in the order they were
// written, so that many can be in flight at once. It is safe for
// concurrent use. Close it to stop git.
type Tree struct {
	entries []entry // by path
	dirs    map[string][]fs.DirEntry
	cat     *catFile

	// Prefetch starts more git processes for large batches.
	start func() (*catFile, error)

	mu sync.Mutex // guards ahead and helpers
	// ahead holds, by entry, the blobs Prefetch asked for, until opened.
	ahead   []*blob
	helpers []*catFile
}

type entry struct {
	path, oid string
	mode      fs.FileMode
}

// TreeOptions tune Repo.Tree.
type TreeOptions struct {
	// MaxSize, when set, caps what is read of a file: one larger reads as
	// its first MaxSize+1 bytes, so that a reader with that limit knows
	// it as too large without holding it.
	MaxSize int64
	// Paths, when given, limit the tree to those paths (inside its
	// folder) that exist, which saves listing a large folder to read a
	// few files.
	Paths []string
	// Prefetch, when set, asks git for the files for which it returns
	// true while the tree is still being listed, as Tree.Prefetch does:
	// git starts on the files a caller knows it will read before the
	// listing of a large tree is over.
	Prefetch func(path string) bool
}

// Tree lists the folder dir (a slash path inside the repository, "" for
// all of it) of the commit rev and starts git to read its files. When the
// commit has no such folder the error wraps fs.ErrNotExist.
func (r *Repo) Tree(ctx context.Context, rev, dir string, opt TreeOptions) (_ *Tree, err error) {
	t := &Tree{start: func() (*catFile, error) { return r.startCatFile(ctx, opt.MaxSize) }}
	if t.cat, err = t.start(); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			t.Close()
		}
	}()
	gits := []*catFile{t.cat}
	if opt.Prefetch != nil {
		gits = t.gits(maxGits)
	}
	args := []string{"ls-tree", "-r", "-z", "--full-tree", treeish(rev, dir)}
	if len(opt.Paths) > 0 {
		args = append(append(args, "--"), opt.Paths...)
	}
	cmd := r.command(ctx, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// Read the listing as git writes it, asking for the files to prefetch
	// by turns of a few hundred, each git in turn.
	var ahead, batch []*blob
	turns := 0
	send := func() {
		if len(batch) > 0 {
			go gits[turns%len(gits)].request(batch...)
			batch, turns = nil, turns+1
		}
	}
	rd := bufio.NewReaderSize(stdout, 256<<10)
	var parseErr error
	for parseErr == nil {
		rec, err := rd.ReadBytes(0)
		if len(rec) == 0 {
			break
		}
		e, ok := parseEntry(string(bytes.TrimSuffix(rec, []byte{0})))
		if !ok {
			parseErr = fmt.Errorf("git ls-tree: unexpected line %q", rec)
			break
		}
		t.entries = append(t.entries, e)
		if opt.Prefetch != nil {
			var b *blob
			if e.mode.IsRegular() && opt.Prefetch(e.path) {
				b = newBlob(e.oid)
				if batch = append(batch, b); len(batch) == turn {
					send()
				}
			}
			ahead = append(ahead, b)
		}
		if err != nil {
			break
		}
	}
	send()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		if _, ok := err.(*exec.ExitError); ok {
			return nil, &fs.PathError{Op: "open", Path: dir + " at " + rev, Err: fs.ErrNotExist}
		}
		return nil, err
	}
	if parseErr != nil {
		return nil, parseErr
	}
	t.index(ahead)
	return t, nil
}

// parseEntry reads "<mode> SP <type> SP <object> TAB <path>".
func parseEntry(rec string) (entry, bool) {
	meta, p, ok := strings.Cut(rec, "\t")
	mode, meta, ok1 := strings.Cut(meta, " ")
	_, oid, ok2 := strings.Cut(meta, " ")
	if !ok || !ok1 || !ok2 || p == "" {
		return entry{}, false
	}
	e := entry{path: p, oid: oid, mode: 0o644}
	switch mode {
	case "100755":
		e.mode = 0o755
	case "120000":
		e.mode = fs.ModeSymlink | 0o777
	case "160000":
		e.mode = fs.ModeIrregular // a submodule
	case "040000":
		e.mode = fs.ModeDir | 0o755 // listed with -t only
	}
	return e, true
}

// index orders the entries by path (git lists them so already) and lists
// the folders; ahead holds the blobs already asked for, by entry.
func (t *Tree) index(ahead []*blob) {
	byPath := func(a, b entry) int { return strings.Compare(a.path, b.path) }
	if !slices.IsSortedFunc(t.entries, byPath) {
		order := make([]int, len(t.entries))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int { return byPath(t.entries[i], t.entries[j]) })
		entries := make([]entry, len(order))
		var moved []*blob
		if ahead != nil {
			moved = make([]*blob, len(order))
		}
		for k, i := range order {
			entries[k] = t.entries[i]
			if ahead != nil {
				moved[k] = ahead[i]
			}
		}
		t.entries, ahead = entries, moved
	}
	t.ahead = ahead
	// Folders, each listing its files and folders by name.
	children := map[string][]*dirEntry{".": nil}
	known := map[string]bool{".": true}
	names := make([]dirEntry, len(t.entries))
	for i, e := range t.entries {
		d, base := splitPath(e.path)
		names[i] = dirEntry{name: base, mode: e.mode, tree: t, path: e.path}
		children[d] = append(children[d], &names[i])
		for !known[d] {
			known[d] = true
			parent, base := splitPath(d)
			children[parent] = append(children[parent], &dirEntry{name: base, mode: fs.ModeDir | 0o755})
			d = parent
		}
	}
	t.dirs = make(map[string][]fs.DirEntry, len(children))
	for d, kids := range children {
		list := make([]fs.DirEntry, len(kids))
		for i, k := range kids {
			list[i] = k
		}
		if !slices.IsSortedFunc(list, byName) {
			slices.SortFunc(list, byName)
		}
		t.dirs[d] = list
	}
}

func byName(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) }

func splitPath(p string) (dir, base string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ".", p
	}
	return p[:i], p[i+1:]
}

// Close stops git. Files not read yet can no longer be.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.helpers {
		c.close()
	}
	return t.cat.close()
}

// Prefetch asks git for every file for which include returns true (every
// file when include is nil), without waiting: a reader that then walks the
// tree and reads them finds each one arriving while it handles the
// previous, instead of waiting a round trip to git per file. One git
// serves about a hundred thousand small files a second, so a large batch
// is shared among a few, one per core.
func (t *Tree) Prefetch(include func(path string) bool) {
	// git lists a tree's files in the order WalkDir visits them, or close
	// to it (it sorts a folder as if its name ended in a slash).
	var blobs []*blob
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ahead == nil {
		t.ahead = make([]*blob, len(t.entries))
	}
	for i := range t.entries {
		e := &t.entries[i]
		if t.ahead[i] == nil && e.mode.IsRegular() && (include == nil || include(e.path)) {
			t.ahead[i] = newBlob(e.oid)
			blobs = append(blobs, t.ahead[i])
		}
	}
	gits := t.gits(len(blobs) / minShare)
	// Each git takes turns of a few hundred files, so that all of them
	// serve the files in about the order they are read.
	shares := make([][]*blob, len(gits))
	for i := 0; i < len(blobs); i += turn {
		g := i / turn % len(gits)
		shares[g] = append(shares[g], blobs[i:min(i+turn, len(blobs))]...)
	}
	for g, c := range gits {
		if len(shares[g]) > 0 {
			go c.request(shares[g]...)
		}
	}
}

// Sharing out a batch: at most maxGits gits (and one per core), each for
// at least minShare files, by turns of turn files (variables for tests).
var (
	maxGits  = 4
	minShare = 5000
	turn     = 256
)

// gits returns up to n gits (at least the first), starting helpers as
// needed; the caller holds t.mu or has not shared t yet.
func (t *Tree) gits(n int) []*catFile {
	n = min(n, maxGits, runtime.GOMAXPROCS(0))
	for len(t.helpers)+1 < n {
		c, err := t.start()
		if err != nil {
			break // the first git serves them all
		}
		t.helpers = append(t.helpers, c)
	}
	return append([]*catFile{t.cat}, t.helpers[:max(0, min(len(t.helpers), n-1))]...)
}

// Open opens a file or folder of the tree.
func (t *Tree) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if list, ok := t.dirs[name]; ok {
		return &dir{name: name, list: list}, nil
	}
	i, ok := t.find(name)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	e := &t.entries[i]
	if e.mode&fs.ModeIrregular != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("a submodule is not a file")}
	}
	var b *blob
	t.mu.Lock()
	if t.ahead != nil {
		b, t.ahead[i] = t.ahead[i], nil
	}
	t.mu.Unlock()
	if b == nil {
		b = newBlob(e.oid)
		t.cat.request(b)
	}
	return &file{name: name, mode: e.mode, blob: b}, nil
}

// find finds a file's entry.
func (t *Tree) find(name string) (int, bool) {
	return slices.BinarySearchFunc(t.entries, name, func(e entry, p string) int { return strings.Compare(e.path, p) })
}

// ReadDir lists a folder, sorted by name.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	list, ok := t.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return append([]fs.DirEntry(nil), list...), nil
}

type dirEntry struct {
	name string
	mode fs.FileMode
	// A file's tree and path, for its size.
	tree *Tree
	path string
}

func (d *dirEntry) Name() string      { return d.name }
func (d *dirEntry) IsDir() bool       { return d.mode.IsDir() }
func (d *dirEntry) Type() fs.FileMode { return d.mode.Type() }

// Info describes the entry. A file's size needs its contents (listing
// sizes would slow git's listing of a large tree down threefold), which
// Info reads.
func (d *dirEntry) Info() (fs.FileInfo, error) {
	fi := info{name: d.name, mode: d.mode}
	if d.tree != nil && d.mode&fs.ModeIrregular == 0 {
		i, _ := d.tree.find(d.path)
		b := newBlob(d.tree.entries[i].oid) // a prefetched blob is left for Open
		d.tree.cat.request(b)
		data, err := b.wait()
		if err != nil {
			return nil, &fs.PathError{Op: "stat", Path: d.path, Err: err}
		}
		fi.size = int64(len(data))
	}
	return fi, nil
}

// info describes a file or folder. Sizes are known once a file is read.
type info struct {
	name string
	size int64
	mode fs.FileMode
}

func (i info) Name() string       { return i.name }
func (i info) Size() int64        { return i.size }
func (i info) Mode() fs.FileMode  { return i.mode }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.mode.IsDir() }
func (i info) Sys() any           { return nil }

type dir struct {
	name string
	list []fs.DirEntry
	off  int
}

func (d *dir) Stat() (fs.FileInfo, error) {
	return info{name: path.Base(d.name), mode: fs.ModeDir | 0o755}, nil
}
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a folder")}
}
func (d *dir) Close() error { return nil }

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.list[d.off:]
	if n <= 0 {
		d.off = len(d.list)
		return append([]fs.DirEntry(nil), rest...), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.off += len(rest)
	return append([]fs.DirEntry(nil), rest...), nil
}

type file struct {
	name string
	mode fs.FileMode
	blob *blob
	r    *bytes.Reader
}

func (f *file) open() error {
	if f.r == nil {
		data, err := f.blob.wait()
		if err != nil {
			return &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		f.r = bytes.NewReader(data)
	}
	return nil
}

func (f *file) Stat() (fs.FileInfo, error) {
	if err := f.open(); err != nil {
		return nil, err
	}
	return info{name: path.Base(f.name), size: f.r.Size(), mode: f.mode}, nil
}

func (f *file) Read(p []byte) (int, error) {
	if err := f.open(); err != nil {
		return 0, err
	}
	return f.r.Read(p)
}

func (f *file) Close() error { return nil }
