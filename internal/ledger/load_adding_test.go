package ledger_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

func TestLoadAdding(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("people/ann.yaml", "name: Ann\nidentities: {github: ann}\n")
	write("people/bo.yaml", "name: Bo\nidentities: {github: bo}\n")
	extra := map[string][]byte{
		"people/bo.yaml":                  []byte("name: Bo Two\nidentities: {github: bo}\n"),
		"credits/2026/01/manual.yaml":     []byte("credits:\n  - {id: m:1, who: ann, kind: talk, date: 2026-01-05, colour: red}\n"),
		"people/a/already-sharded-x.yaml": []byte("name: Cy\nidentities: {github: cy}\n"),
	}
	l, findings, err := ledger.LoadAdding(dir, extra, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range l.People {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "Cy,Ann,Bo Two" {
		t.Errorf("people %s, want the added one, then ann, then bo as extra has it", got)
	}
	if len(l.Credits) != 1 || len(findings) != 1 || findings[0].Path != "credits/2026/01/manual.yaml" || findings[0].Line != 2 {
		t.Errorf("credits %d, findings %v: want the unknown key of the added shard", len(l.Credits), findings)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "people", "bo.yaml")); string(b) != "name: Bo\nidentities: {github: bo}\n" {
		t.Error("LoadAdding wrote to the ledger")
	}
}
