package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "funding", "2026", "10", "opencollective.yaml")
	if err := Write(path, []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two\n" {
		t.Errorf("content %q", b)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v; an existing file keeps its permissions", info.Mode())
	}
	entries(t, filepath.Dir(path), "opencollective.yaml")

	// A folder is not replaced, and no temporary file is left.
	target := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(target, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(target, []byte("x"), 0o644); !errors.Is(err, ErrNotRegular) {
		t.Errorf("writing over a folder: %v, want ErrNotRegular", err)
	}
	if info, err := os.Stat(filepath.Join(target, "inside")); err != nil || !info.IsDir() {
		t.Error("the folder written over is gone")
	}
	entries(t, dir, "funding", "taken")
}

// TestWriteNeverFollowsALinkToAFile: a link to a file is neither replaced
// nor written through, and the file it points to keeps its content.
func TestWriteNeverFollowsALinkToAFile(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(dir, "elsewhere.txt")
	if err := os.WriteFile(elsewhere, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{elsewhere, filepath.Join(dir, "nothing")} {
		link := filepath.Join(dir, "reports", "index.md")
		os.MkdirAll(filepath.Dir(link), 0o755)
		os.Remove(link)
		if err := os.Symlink(to, link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		err := Write(link, []byte("new\n"), 0o644)
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("a link to %s: %v, want ErrNotRegular", to, err)
		}
		if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Error("the link was replaced")
		}
		if _, err := Update(link, []byte("new\n"), 0o644); !errors.Is(err, ErrNotRegular) {
			t.Errorf("Update through a link to %s: %v, want ErrNotRegular", to, err)
		}
		entries(t, filepath.Dir(link), "index.md")
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "keep\n" {
		t.Errorf("the file linked to now holds %q", b)
	}
}

// fakeInfo is what Lstat or Stat would say of a file, without the file:
// tests never write into a real device.
type fakeInfo struct{ mode fs.FileMode }

func (f fakeInfo) Name() string       { return "x" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fakeInfo) Sys() any           { return nil }

func TestPlan(t *testing.T) {
	var (
		regular   = fakeInfo{0o644}
		charDev   = fakeInfo{fs.ModeDevice | fs.ModeCharDevice | 0o666} // /dev/null, a terminal
		blockDev  = fakeInfo{fs.ModeDevice | 0o660}                     // a disk
		pipe      = fakeInfo{fs.ModeNamedPipe | 0o644}
		symlink   = fakeInfo{fs.ModeSymlink | 0o777}
		folder    = fakeInfo{fs.ModeDir | 0o755}
		socket    = fakeInfo{fs.ModeSocket | 0o755}
		nothing   fs.FileInfo
		unfollows fs.FileInfo // a link to nothing
	)
	for _, c := range []struct {
		name         string
		link, target fs.FileInfo
		want         int
	}{
		{"nothing", nothing, nil, replace},
		{"a regular file", regular, nil, replace},
		{"a character device", charDev, charDev, intoStream},
		{"a link to a character device", symlink, charDev, intoStream},
		{"a named pipe", pipe, pipe, intoStream},
		{"a link to a named pipe", symlink, pipe, intoStream},
		{"a block device", blockDev, blockDev, refuse},
		{"a link to a block device", symlink, blockDev, refuse},
		{"a link to a regular file", symlink, regular, refuse},
		{"a link to nothing", symlink, unfollows, refuse},
		{"a folder", folder, folder, refuse},
		{"a socket", socket, socket, refuse},
	} {
		if got := plan(c.link, c.target); got != c.want {
			t.Errorf("%s: plan %d, want %d", c.name, got, c.want)
		}
	}
	if err := notRegular("out", blockDev); !errors.Is(err, ErrNotRegular) || err.Error() !=
		"out is a block device, not a regular file: tally replaces only regular files (and writes into pipes and character devices); nothing written" {
		t.Errorf("%v", err)
	}
}

func TestWriteNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "applications", "acme", "2026-11-03.yaml")
	if err := WriteNew(path, []byte("first\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(path, []byte("second\n"), 0o644); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second write: %v, want an error saying the file exists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first\n" {
		t.Errorf("the file now holds %q", b)
	}
	link := filepath.Join(filepath.Dir(path), "2026-11-04.yaml")
	if err := os.Symlink(filepath.Join(dir, "nothing"), link); err == nil {
		if err := WriteNew(link, []byte("x"), 0o644); !errors.Is(err, fs.ErrExist) {
			t.Errorf("over a link to nothing: %v, want an error saying the file exists", err)
		}
		if _, err := os.Lstat(filepath.Join(dir, "nothing")); err == nil {
			t.Error("the link was followed")
		}
	}
	entries(t, filepath.Dir(path), "2026-11-03.yaml", "2026-11-04.yaml")
}

func TestUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "monthly", "2026-10.json")
	for i, c := range []struct {
		data    string
		changed bool
	}{{"{}\n", true}, {"{}\n", false}, {"[]\n", true}, {"[1]\n", true}} {
		before, _ := os.Stat(path)
		changed, err := Update(path, []byte(c.data), 0o644)
		if err != nil || changed != c.changed {
			t.Errorf("write %d: changed %v (%v), want %v", i, changed, err, c.changed)
		}
		if after, _ := os.Stat(path); !c.changed && !os.SameFile(before, after) {
			t.Errorf("write %d: an unchanged file was replaced", i)
		}
		if b, _ := os.ReadFile(path); string(b) != c.data {
			t.Errorf("write %d: %q", i, b)
		}
	}
}

func TestTidyIgnoresTemps(t *testing.T) {
	dir := t.TempDir()
	if wrote, err := Tidy(dir); err != nil || !wrote {
		t.Fatalf("%v %v", wrote, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != gitignore {
		t.Errorf("%q", b)
	}
	if wrote, err := Tidy(dir); err != nil || wrote {
		t.Errorf("again: %v %v", wrote, err)
	}
	// The owner's own .gitignore is theirs.
	own := filepath.Join(t.TempDir(), ".gitignore")
	os.WriteFile(own, []byte("*.log\n"), 0o644)
	if wrote, err := Tidy(filepath.Dir(own)); err != nil || wrote {
		t.Errorf("%v %v", wrote, err)
	}
	if b, _ := os.ReadFile(own); string(b) != "*.log\n" {
		t.Errorf("%q", b)
	}
}

// entries checks that a folder holds exactly the names given: no
// temporary file is left behind.
func entries(t *testing.T, dir string, want ...string) {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("%s holds %v, want %v", dir, names, want)
	}
}
