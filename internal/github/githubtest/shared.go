package githubtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// SharedData is the path of parts in the real GitHub API material beside
// the project (../shared/data/github-api from the module's root). It
// skips the test when that is absent, as in a fresh clone.
func SharedData(tb testing.TB, parts ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	for err == nil {
		if _, statErr := os.Stat(filepath.Join(dir, "go.mod")); statErr == nil {
			break
		}
		if parent := filepath.Dir(dir); parent != dir {
			dir = parent
		} else {
			err = os.ErrNotExist
		}
	}
	if err != nil {
		tb.Fatalf("no module root above the test: %v", err)
	}
	p := filepath.Join(append([]string{dir, "..", "shared", "data", "github-api"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("%s is absent", p)
	}
	return p
}

// ReadJSON decodes the JSON file at path into v.
func ReadJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}
