package action

import (
	"bytes"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// overlay is a ledger folder with some files replaced: the pull request's
// ledger with the base branch's program.yaml, so that a change to the rules
// is judged by the rules it changes.
type overlay struct {
	fs.FS
	files map[string][]byte // top-level file name -> content
}

func (o overlay) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		return &memFile{Reader: bytes.NewReader(data), info: memInfo{name: name, size: int64(len(data))}}, nil
	}
	return o.FS.Open(name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(o.FS, name)
	if name != "." {
		return entries, err
	}
	if err != nil && len(entries) == 0 {
		entries = nil
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { _, ok := o.files[e.Name()]; return ok })
	for n, data := range o.files {
		entries = append(entries, fs.FileInfoToDirEntry(memInfo{name: n, size: int64(len(data))}))
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

type memFile struct {
	*bytes.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

var _ io.Reader = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
