// Package atomicfile is how tally writes files: a reader, a crash or a
// killed run sees the old content or the new, never half of either, and
// nothing that is not a regular file is ever replaced.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The names of tally's temporary files, .tally-123456789.tmp: the dot
// hides them from the ledger loader, and the pattern lets Tidy and a
// .gitignore tell them from anything else.
const (
	tempPrefix  = ".tally-"
	tempSuffix  = ".tmp"
	tempPattern = tempPrefix + "*" + tempSuffix
)

// Write puts data at path; what is there decides how:
//
//   - nothing, or a regular file: data goes to a temporary file in the
//     same folder, which is synced and renamed over path. An existing
//     file keeps its permissions; a new one gets perm.
//   - a named pipe or a character device (a terminal, /dev/null), itself
//     or at the end of symbolic links (/dev/stdout): data is written into
//     it, as into a stream, and nothing is replaced.
//   - anything else, a symbolic link to a file among them: an error, and
//     nothing is touched. A link is neither replaced (whoever made it
//     meant something) nor followed to replace the file it points to
//     (a committed link could point anywhere).
//
// Missing parent folders are made.
func Write(path string, data []byte, perm fs.FileMode) error {
	link, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		link = nil
	} else if err != nil {
		return err
	}
	var target fs.FileInfo
	if link != nil && !link.Mode().IsRegular() {
		target, _ = os.Stat(path) // nil: a link to nothing
	}
	switch plan(link, target) {
	case intoStream:
		return writeStream(path, target, data)
	case refuse:
		return notRegular(path, link)
	}
	if link != nil {
		perm = link.Mode().Perm()
	}
	tmp, err := writeTemp(filepath.Dir(path), data, perm)
	if err != nil {
		return err
	}
	defer tmp.Close() // after the rename: the lock says it is in use until then
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// How Write puts data at a path.
const (
	replace    = iota // through a temporary file and a rename
	intoStream        // written into what is there
	refuse
)

// plan decides how Write puts data at a path from what is there: link is
// what Lstat says of it (nil: nothing), target what Stat says (nil: a
// link to nothing).
func plan(link, target fs.FileInfo) int {
	switch {
	case link == nil || link.Mode().IsRegular():
		return replace
	case target != nil && isStream(target.Mode()):
		return intoStream
	}
	return refuse
}

// ErrNotRegular says that Write refused to replace what is at a path.
var ErrNotRegular = errors.New("not a regular file")

func notRegular(path string, info fs.FileInfo) error {
	m := info.Mode()
	what, hint := "special file", ""
	switch {
	case m&fs.ModeSymlink != 0:
		what, hint = "symbolic link", "; to write the file it points to, give that file's path"
	case m.IsDir():
		what = "folder"
	case m&fs.ModeDevice != 0:
		what = "block device"
	case m&fs.ModeSocket != 0:
		what = "socket"
	}
	return fmt.Errorf("%s is a %s, %w: tally replaces only regular files (and writes into pipes and character devices); nothing written%s",
		path, what, ErrNotRegular, hint)
}

// WriteNew writes a file that must not exist yet: the data goes to a
// temporary file that is then linked to path, which fails with an error
// satisfying errors.Is(err, fs.ErrExist), leaving whatever is there
// untouched, when anything is at path (even a file made a moment ago by
// another run, or a link).
func WriteNew(path string, data []byte, perm fs.FileMode) error {
	tmp, err := writeTemp(filepath.Dir(path), data, perm)
	if err != nil {
		return err
	}
	defer tmp.Close()
	defer os.Remove(tmp.Name())
	return os.Link(tmp.Name(), path)
}

// Update writes data to path as Write does, unless path is a regular file
// that already holds exactly data, and tells whether it wrote.
func Update(path string, data []byte, perm fs.FileMode) (bool, error) {
	if same, err := holds(path, data); err != nil || same {
		return false, err
	}
	return true, Write(path, data, perm)
}

// writeTemp writes data to a new temporary file in dir (made if
// missing), synced, with permissions perm, and returns it open and locked:
// Tidy leaves it alone until it is closed.
func writeTemp(dir string, data []byte, perm fs.FileMode) (f *os.File, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if f, err = createLocked(dir); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return nil, err
	}
	if err = f.Chmod(perm); err != nil {
		return nil, err
	}
	return f, f.Sync()
}

// createLocked makes a temporary file and locks it. A Tidy that locked it
// first, between the two, has removed it: then make another.
func createLocked(dir string) (*os.File, error) {
	for range 3 {
		f, err := os.CreateTemp(dir, tempPattern)
		if err != nil {
			return nil, err
		}
		if err := lock(f); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		if still(f) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("%s: temporary files keep vanishing", dir)
}

// still tells whether f's name still names f.
func still(f *os.File) bool {
	a, err1 := f.Stat()
	b, err2 := os.Lstat(f.Name())
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// Tidy removes from root and the folders given the temporary files that a
// killed run left behind, and keeps them out of git with a .gitignore in
// root, unless root has one (the owner's own is theirs to keep). It tells
// whether it wrote the .gitignore.
func Tidy(root string, folders ...string) (bool, error) {
	for _, dir := range append([]string{root}, folders...) {
		if err := removeStale(dir); err != nil {
			return false, err
		}
	}
	err := WriteNew(filepath.Join(root, ".gitignore"), []byte(gitignore), 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	return err == nil, err
}

// removeStale removes from dir the temporary files that no run has open.
// Where files cannot be locked (Windows), it removes none.
func removeStale(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix) {
			if err := removeUnused(filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeUnused removes a temporary file unless a run holds it locked.
func removeUnused(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // another run's sweep was first
	} else if err != nil {
		return err
	}
	defer f.Close()
	if !tryLock(f) || !still(f) {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// gitignore keeps the temporary files out of commits.
const gitignore = "# Temporary files of tally, left behind only by a run that was killed;\n" +
	"# the next run removes them.\n" + tempPattern + "\n"

// isStream tells whether a file is written as a stream: a named pipe or
// a character device.
func isStream(m fs.FileMode) bool {
	return m&fs.ModeNamedPipe != 0 || m&fs.ModeCharDevice != 0
}

// writeStream writes data into the pipe or device at path, which must
// still be the one seen (info).
func writeStream(path string, info fs.FileInfo, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if now, err := f.Stat(); err != nil || !os.SameFile(now, info) {
		f.Close()
		return fmt.Errorf("%s changed while it was opened; nothing written", path)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// holds tells whether path is a regular file holding exactly data,
// reading it in pieces rather than whole: a foundation's reports make
// hundreds of MiB.
func holds(path string, data []byte) (bool, error) {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return false, err
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	bufp := chunks.Get().(*[]byte)
	defer chunks.Put(bufp)
	buf := *bufp
	for len(data) > 0 {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data))])
		if err != nil || !bytes.Equal(buf[:n], data[:n]) {
			return false, nil // shorter than it said, or different
		}
		data = data[n:]
	}
	return true, nil
}

var chunks = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}
