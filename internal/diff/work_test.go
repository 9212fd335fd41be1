package diff

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

func TestWorkFiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"program.yaml", "people/a/alice.yaml", "people/bob.yaml", "people/carol.yaml", "credits/2026/10/github.yaml"} {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("x: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w := newWorkFiles(dir, []string{"people/a/alice.yaml", "credits/2026/10/github.yaml", "people/bob.yaml", "people/gone.yaml"})
	if err := fstest.TestFS(w, "people/a/alice.yaml", "credits/2026/10/github.yaml", "people/bob.yaml"); err != nil {
		t.Error(err)
	}
	var files []string
	fs.WalkDir(w, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if want := []string{"credits/2026/10/github.yaml", "people/a/alice.yaml", "people/bob.yaml"}; !slices.Equal(files, want) {
		t.Errorf("walk %v, want %v", files, want)
	}
}
