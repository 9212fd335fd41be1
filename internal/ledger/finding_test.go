package ledger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindingIsOneLine: a key or a file name holding a line break prints
// as one line, so that it cannot start a line a CI log reads as a
// workflow command.
func TestFindingIsOneLine(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("people/ann.yaml", "name: Ann\nidentities: {github: ann}\n\"x\\n::stop-commands::tok\\r\\n::notice::forged\": 1\n")
	write("people/b\n::warning::forged.yaml", "name: B\n")
	_, findings, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) < 2 {
		t.Fatalf("want findings for the key and the file name, got %v", findings)
	}
	for _, f := range findings {
		s := f.String()
		if strings.ContainsAny(s, "\r\n") {
			t.Errorf("finding spans lines: %q", s)
		}
	}
	var all strings.Builder
	for _, f := range findings {
		all.WriteString(f.String() + "\n")
	}
	for _, want := range []string{`x\n::stop-commands::tok\r\n::notice::forged`, `b\n::warning::forged.yaml`} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("findings lack the escaped %q:\n%s", want, all.String())
		}
	}
}
