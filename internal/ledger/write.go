package ledger

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// WriteFile replaces the file at path with data atomically: the data goes
// to a temporary file in the same folder, which is synced and renamed over
// path, so that a reader (or a crash) sees the old file or the new one,
// never half of either. An existing file keeps its permissions; a new one
// gets perm. Missing parent folders are made.
func WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
		perm = info.Mode().Perm()
	}
	// A dot name: the ledger loader skips it should one ever be left behind.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Scalar writes s as a YAML scalar that reads back as the string s, in a
// block or a flow collection: plain when that is safe, double-quoted
// otherwise ("100.00", "NO", "true", "2026-10-03", "a: b", "a, b"). Plain scalars that YAML 1.1 tools read as
// booleans (yes, no, on, off, y, n) are quoted too, so that editors agree
// with tally.
func Scalar(s string) string {
	if plainString(s) {
		return s
	}
	return strconv.Quote(s) // Go's escapes are a subset of YAML's
}

func plainString(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off":
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("._-/:@+ ", r)
		if !ok {
			return false
		}
	}
	if strings.ContainsRune("-:@+.", rune(s[0])) || strings.HasSuffix(s, ":") || strings.Contains(s, ": ") {
		return false
	}
	if wordLike(s) {
		return true
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+s+"\n"), &doc); err != nil {
		return false
	}
	if len(doc.Content) != 1 || len(doc.Content[0].Content) != 2 {
		return false
	}
	v := doc.Content[0].Content[1]
	return v.Kind == yaml.ScalarNode && v.Tag == "!!str" && v.Value == s
}

// wordLike tells, without parsing, that YAML reads a plain scalar as a
// string: it starts with a letter and holds a space, a slash, an @, a
// colon or an underscore, which no boolean or null YAML knows holds (and
// its numbers and times start with a digit, a sign or a dot). Titles,
// identities and kinds are mostly such, and parsing each one was most of
// the time an import of thousands of credits took.
func wordLike(s string) bool {
	c := s[0]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && strings.ContainsAny(s, " /@:_")
}

// WriteNewFile writes a file that must not exist yet, atomically: the data
// goes to a temporary file that is then linked to path, which fails,
// leaving whatever is there untouched, when path already exists (even one
// made a moment ago by another run).
func WriteNewFile(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Link(tmp.Name(), path)
}
