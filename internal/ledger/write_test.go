package ledger

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "funding", "2026", "10", "opencollective.yaml")
	if err := WriteFile(path, []byte("one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "two\n" {
		t.Errorf("content %q", b)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v; an existing file keeps its permissions", info.Mode())
	}
	leftovers(t, filepath.Dir(path), 1)

	// A write that fails leaves what was there, and no temporary file.
	target := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(target, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("x"), 0o644); err == nil {
		t.Error("writing over a folder succeeded")
	}
	if info, err := os.Stat(filepath.Join(target, "inside")); err != nil || !info.IsDir() {
		t.Error("the folder written over is gone")
	}
	leftovers(t, dir, 2) // funding and taken
}

// leftovers checks that a folder holds n entries: no temporary files.
func leftovers(t *testing.T, dir string, n int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %v", dir, names)
	}
}

func TestScalar(t *testing.T) {
	for in, want := range map[string]string{
		"acme":                    "acme",
		"opencollective:d3f98b95": "opencollective:d3f98b95",
		"https://x.example/a?b=c": `"https://x.example/a?b=c"`,
		"Cheque, banked":          `"Cheque, banked"`,
		"yearly sponsorship":      "yearly sponsorship",
		"NO":                      `"NO"`,
		"yes":                     `"yes"`,
		"true":                    `"true"`,
		"null":                    `"null"`,
		"~":                       `"~"`,
		"12345":                   `"12345"`,
		"1e3":                     `"1e3"`,
		"0x1F":                    `"0x1F"`,
		"2026-10-03":              `"2026-10-03"`,
		"100.00":                  `"100.00"`,
		"a: b":                    `"a: b"`,
		"key:":                    `"key:"`,
		"-dash":                   `"-dash"`,
		"@handle":                 `"@handle"`,
		" padded":                 `" padded"`,
		"":                        `""`,
		"line\nbreak":             `"line\nbreak"`,
		"# not a comment":         `"# not a comment"`,
		"quote\"d":                `"quote\"d"`,
		"José":                    `"José"`,
		"Fix the widget":          "Fix the widget",
		"yes/no":                  "yes/no",
		"On call":                 "On call",
		"null pointer":            "null pointer",
		"a :b":                    "a :b",
		"R. Example":              "R. Example",
		"git:acme/widget@0a1b":    "git:acme/widget@0a1b",
		"mail@home":               "mail@home",
		"github:dev12":            "github:dev12",
		"pull_request":            "pull_request",
		"a:":                      `"a:"`,
	} {
		got := Scalar(in)
		if got != want {
			t.Errorf("Scalar(%q) = %s, want %s", in, got, want)
		}
		// Whatever it writes reads back as the string, in a block and in a flow.
		for _, doc := range []string{"k: " + got + "\n", "{k: " + got + "}\n"} {
			var v map[string]any
			if err := yaml.Unmarshal([]byte(doc), &v); err != nil || v["k"] != in {
				t.Errorf("%q reads back as %#v (%v)", doc, v["k"], err)
			}
		}
	}
}

func TestWriteNewFileNeverReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "applications", "acme", "2026-11-03.yaml")
	if err := WriteNewFile(path, []byte("first\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteNewFile(path, []byte("second\n"), 0o644); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second write: %v, want an error saying the file exists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first\n" {
		t.Errorf("the file now holds %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
