package ledger

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range w {
		img.Set(i, i%h, color.NRGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckPNG(t *testing.T) {
	good := pngOf(t, 256, 128)
	if fs := checkLogo("organizations/acme.png", "png", good); len(fs) != 0 {
		t.Errorf("a 256×128 PNG: %v", fs)
	}
	cases := map[string]struct {
		data []byte
		want string
	}{
		"not a PNG":  {[]byte("GIF89a\x01\x00\x01\x00"), "not a PNG image"},
		"text":       {[]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "not a PNG image"},
		"too small":  {pngOf(t, 16, 64), "16×64 pixels"},
		"too large":  {pngOf(t, 2000, 100), "2000×100 pixels"},
		"truncated":  {good[:len(good)/2], "damaged"},
		"header":     {good[:20], "damaged"},
		"many bytes": {append(append([]byte{}, good...), make([]byte, MaxLogoSize)...), "at most 256.0 KiB"},
	}
	for name, c := range cases {
		fs := checkLogo("organizations/acme.png", "png", c.data)
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.want) || fs[0].Rule != "logo" || fs[0].Line != 1 {
			t.Errorf("%s: %v, want one logo finding saying %q", name, fs, c.want)
		}
	}
}

const svgHead = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 64 64">` + "\n"

func TestCheckSVG(t *testing.T) {
	goods := map[string]string{
		"shapes": svgHead + `<defs><linearGradient id="g"><stop offset="0" stop-color="#0a58a8"/></linearGradient></defs>
<circle cx="32" cy="32" r="30" fill="url(#g)" style="stroke: url( '#g' )"/><use href="#g"/><use xlink:href="#g"/>
<text x="4" y="40" font-family="sans-serif">Acme</text></svg>`,
		"declaration and comments": `<?xml version="1.0" encoding="UTF-8"?>
<!-- drawn by hand -->
` + svgHead + `<style>.a { fill: #123456 }</style><rect class="a" width="4" height="4"/></svg>`,
		"editor metadata": `<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
 xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 inkscape:version="1.3"><sodipodi:namedview inkscape:zoom="1"/><metadata><rdf:RDF/></metadata><path d="M0 0h4v4z"/></svg>`,
	}
	for name, s := range goods {
		if fs := checkLogo("organizations/acme.svg", "svg", []byte(s)); len(fs) != 0 {
			t.Errorf("%s: %v", name, fs)
		}
	}
	bads := map[string]struct {
		svg       string
		line, col int
		want      string
	}{
		"script":          {svgHead + `<script>alert(1)</script></svg>`, 2, 1, "<script> is not allowed"},
		"event handler":   {svgHead + `<rect width="4" onload="alert(1)"/></svg>`, 2, 17, "onload runs a script"},
		"upper case":      {svgHead + `<rect ONCLICK="x()"/></svg>`, 2, 7, "ONCLICK runs a script"},
		"href outside":    {svgHead + `<use href="https://evil.example/a.svg#x"/></svg>`, 2, 6, "points outside the logo"},
		"xlink outside":   {svgHead + `<use  xlink:href="other.svg#x"/></svg>`, 2, 7, "points outside the logo"},
		"javascript href": {svgHead + `<use href="javascript:alert(1)"/></svg>`, 2, 6, "points outside the logo"},
		"foreignObject":   {svgHead + `<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject></svg>`, 2, 1, "<foreignObject> is not allowed"},
		"xhtml":           {svgHead + `<h:script xmlns:h="http://www.w3.org/1999/xhtml">x()</h:script></svg>`, 2, 1, `namespace "http://www.w3.org/1999/xhtml"`},
		"css url":         {svgHead + `<rect fill="url(https://evil.example/p.svg#p)"/></svg>`, 2, 7, "url(https://evil.example/p.svg#p)"},
		"style url":       {svgHead + `<rect style="fill:red;background:url('track.png')"/></svg>`, 2, 7, "url(track.png)"},
		"style import":    {svgHead + "<style>\n@import 'https://evil.example/a.css';</style></svg>", 3, 1, "@import"},
		"entity":          {"<!DOCTYPE svg [<!ENTITY x \"y\">]>\n" + svgHead + `</svg>`, 1, 1, "DOCTYPE"},
		"stylesheet":      {`<?xml-stylesheet href="https://evil.example/a.css"?>` + svgHead + `</svg>`, 1, 1, "<?xml-stylesheet"},
		"animation":       {svgHead + `<set attributeName="href" to="javascript:x()"/></svg>`, 2, 1, "<set> is not allowed"},
		"link":            {svgHead + `<a href="#x"><rect/></a></svg>`, 2, 1, "<a> is not allowed"},
		"not XML":         {svgHead + `<rect></svg>`, 2, 13, "not well-formed XML"},
		"unknown entity":  {svgHead + `<text>&nbsp;</text></svg>`, 2, 13, "invalid character entity &nbsp;"},
		"root":            {`<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>`, 1, 1, "root element is <html>"},
		"no namespace":    {`<svg viewBox="0 0 4 4"><rect/></svg>`, 1, 1, "root element is <svg>; an SVG logo is an <svg> element in the namespace"},
		"empty":           {"", 1, 1, "holds no SVG"},
	}
	for name, c := range bads {
		fs := checkLogo("organizations/acme.svg", "svg", []byte(c.svg))
		if len(fs) == 0 || !strings.Contains(fs[0].Message, c.want) || fs[0].Line != c.line || fs[0].Col != c.col || fs[0].Rule != "logo" {
			t.Errorf("%s: %v, want a logo finding at %d:%d saying %q", name, fs, c.line, c.col, c.want)
		}
	}
}

// TestLoadLogos: a logo is read beside its organisation, also in a sharded
// folder; a broken one is a finding and no record.
func TestLoadLogos(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("organizations/acme.yaml", []byte("name: Acme\ncountry: GB\n"))
	write("organizations/acme.png", pngOf(t, 64, 64))
	write("organizations/g/globex.yaml", []byte("name: Globex\ncountry: US\n"))
	write("organizations/g/globex.svg", []byte(svgHead+`<rect width="4" height="4"/></svg>`))
	write("organizations/initech.yaml", []byte("name: Initech\ncountry: US\n"))
	write("organizations/initech.svg", []byte(svgHead+`<script/></svg>`))
	l, findings, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logoFindings []string
	for _, f := range findings {
		if f.Rule == "logo" || f.Rule == "encoding" || f.Rule == "file-kind" {
			logoFindings = append(logoFindings, f.String())
		}
	}
	if len(logoFindings) != 1 || !strings.HasPrefix(logoFindings[0], "organizations/initech.svg:2:1: <script>") {
		t.Errorf("findings: %q", logoFindings)
	}
	ix := NewIndex(l)
	if g := ix.Logos["acme"]; g == nil || g.Format != "png" || !bytes.HasPrefix(g.Data, pngSignature) {
		t.Errorf("acme's logo: %+v", g)
	}
	if g := ix.Logos["globex"]; g == nil || g.Format != "svg" || l.Files[g.File] != "organizations/g/globex.svg" {
		t.Errorf("globex's logo: %+v", g)
	}
	if ix.Logos["initech"] != nil || len(l.Logos) != 2 {
		t.Errorf("a refused logo was kept: %d logos", len(l.Logos))
	}
}
