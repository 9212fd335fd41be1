//go:build unix

package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestThresholdsIntoAPipe: --out naming a pipe (as /dev/stdout or
// /dev/null would) writes into it and leaves it a pipe, and a link to a
// file is refused, leaving the file as it was. The pipe is the test's own:
// no test writes to a real device.
func TestThresholdsIntoAPipe(t *testing.T) {
	dir := orgLedger(t, map[string]string{"northwind": "GB"})
	fifo := filepath.Join(t.TempDir(), "out.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan string, 1)
	go func() { b, _ := os.ReadFile(fifo); got <- string(b) }()
	type result struct {
		stderr string
		code   int
	}
	done := make(chan result, 1)
	go func() {
		_, stderr, code := run(t, "thresholds", "--bigmac", bigmacFixture, "--date", "2026-01-01", "--ledger", dir, "--out", fifo)
		done <- result{stderr, code}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute): // a watchdog, not a measure: the old code waited forever
		t.Fatal("tally thresholds --out FIFO never finished")
	}
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if s := <-got; !strings.Contains(s, "minimums:\n") {
		t.Errorf("the reader got %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced by a %v", info.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(fifo))
	if len(entries) != 1 {
		t.Errorf("%d entries beside the pipe: a temporary file was left", len(entries))
	}

	elsewhere := filepath.Join(t.TempDir(), "thresholds.yaml")
	os.WriteFile(elsewhere, []byte("source: kept\n"), 0o644)
	link := filepath.Join(dir, "thresholds.yaml")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, "thresholds", "--bigmac", bigmacFixture, "--date", "2026-01-01", "--ledger", dir)
	if code != 2 || !strings.Contains(stderr, link+" is a symbolic link, not a regular file") {
		t.Errorf("a link: exit %d\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(elsewhere); string(b) != "source: kept\n" {
		t.Errorf("the file linked to now holds %q", b)
	}
}
