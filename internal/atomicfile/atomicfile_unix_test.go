//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteIntoAPipe: a named pipe, and a link to one, are written into
// and stay what they are (--out /dev/stdout, a process substitution).
func TestWriteIntoAPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, link} {
		got := make(chan string, 1)
		go func() { b, _ := os.ReadFile(fifo); got <- string(b) }()
		if err := Write(path, []byte("thresholds\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "thresholds\n" {
			t.Errorf("%s: the reader got %q", path, s)
		}
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v", info.Mode())
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", info.Mode())
	}
	entries(t, dir, "fifo", "link")
}

// TestRemoveStale: a temporary file no run holds goes; one a run is
// writing, and every other file, stay.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".tally-123.tmp")
	for name, data := range map[string]string{".tally-123.tmp": "half a rep", ".other.tmp": "x", "2026-10.md": "# Oct", ".tally-notes": "y"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	busy, err := writeTemp(dir, []byte("being written"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if err := removeStale(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Error("the stale file is still there")
	}
	entries(t, dir, ".other.tmp", ".tally-notes", filepath.Base(busy.Name()), "2026-10.md")
	if err := removeStale(filepath.Join(dir, "none")); err != nil {
		t.Errorf("a missing folder: %v", err)
	}
}
