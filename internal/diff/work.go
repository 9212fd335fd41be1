package diff

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// workFiles is the work tree's ledger folder narrowed to some of its
// files, so that reading what changed in a large ledger does not walk all
// of it. Links are listed as links (the loader reports them) and missing
// files are left out.
type workFiles struct {
	root fs.FS
	dirs map[string][]fs.DirEntry
}

func newWorkFiles(dir string, paths []string) *workFiles {
	w := &workFiles{root: os.DirFS(dir), dirs: map[string][]fs.DirEntry{".": nil}}
	seen := map[string]bool{}
	for _, p := range paths {
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || info.IsDir() {
			continue
		}
		w.dirs[path.Dir(p)] = append(w.dirs[path.Dir(p)], fs.FileInfoToDirEntry(info))
		for d := path.Dir(p); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			w.dirs[path.Dir(d)] = append(w.dirs[path.Dir(d)], folder(path.Base(d)))
		}
	}
	for _, list := range w.dirs {
		slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	return w
}

func (w *workFiles) Open(name string) (fs.File, error) {
	if list, ok := w.dirs[name]; ok {
		return &workDir{name: path.Base(name), list: list}, nil
	}
	return w.root.Open(name)
}

func (w *workFiles) ReadDir(name string) ([]fs.DirEntry, error) {
	list, ok := w.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(list), nil
}

// folder is a listed folder's entry.
type folder string

func (f folder) Name() string               { return string(f) }
func (f folder) IsDir() bool                { return true }
func (f folder) Type() fs.FileMode          { return fs.ModeDir }
func (f folder) Info() (fs.FileInfo, error) { return f, nil }
func (f folder) Size() int64                { return 0 }
func (f folder) Mode() fs.FileMode          { return fs.ModeDir | 0o755 }
func (f folder) ModTime() time.Time         { return time.Time{} }
func (f folder) Sys() any                   { return nil }

type workDir struct {
	name string
	list []fs.DirEntry
	off  int
}

func (d *workDir) Stat() (fs.FileInfo, error) { return folder(d.name), nil }
func (d *workDir) Read([]byte) (int, error)   { return 0, fs.ErrInvalid }
func (d *workDir) Close() error               { return nil }

func (d *workDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.list[d.off:]
	if n > 0 {
		if len(rest) == 0 {
			return nil, io.EOF
		}
		rest = rest[:min(n, len(rest))]
	}
	d.off += len(rest)
	return slices.Clone(rest), nil
}
