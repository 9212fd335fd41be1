package check

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// TestTwoLogos: an organisation has one logo; a second, in the other
// format, is a repeat that points at the first.
func TestTwoLogos(t *testing.T) {
	var p bytes.Buffer
	if err := png.Encode(&p, image.NewGray(image.Rect(0, 0, 64, 64))); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string][]byte{
		"organizations/acme.yaml": []byte("name: Acme\ncountry: GB\n"),
		"organizations/acme.png":  p.Bytes(),
		"organizations/acme.svg":  []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>`),
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Join(dir, "organizations"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, _, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range Run(l) {
		if f.Rule == "unique-id" || strings.Contains(f.Message, "logo") {
			got = append(got, f.String())
		}
	}
	want := "organizations/acme.svg:1:1: acme has two logos; keep one, SVG or PNG (first at organizations/acme.png:1:1) [unique-id]"
	if len(got) != 1 || got[0] != want {
		t.Errorf("findings %q, want %q", got, want)
	}
}
