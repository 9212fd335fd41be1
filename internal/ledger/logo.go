package ledger

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"regexp"
	"strings"
)

// Logo is an organisation's logo, organizations/<id>.svg or .png. The
// loader publishes nothing it has not checked: a PNG is a PNG of sensible
// size, and an SVG is a picture that runs no script and loads nothing
// from elsewhere. A logo that breaks a rule is refused with a finding
// that says what to remove, rather than rewritten: the bytes published
// are the bytes reviewed.
type Logo struct {
	Loc
	Org string
	// Format is "svg" or "png".
	Format string
	Data   []byte
}

// Limits of a logo. Pages show logos at 40 to 64 CSS pixels, so a PNG of
// 1024 pixels is sharp on any screen, and 256 KiB is plenty for either
// format.
const (
	MaxLogoSize   = 256 << 10
	MinLogoPixels = 32
	MaxLogoPixels = 1024
)

// checkLogo judges a logo's bytes and returns findings of rule "logo".
func checkLogo(path, format string, data []byte) []Finding {
	at := func(p Pos, format string, args ...any) Finding {
		return At(path, p, "", "logo", fmt.Sprintf(format, args...))
	}
	if len(data) > MaxLogoSize {
		return []Finding{at(Pos{1, 1}, "the logo is %s; a logo is at most %s: export it smaller", byteSize(int64(len(data))), byteSize(MaxLogoSize))}
	}
	if format == "png" {
		if msg := checkPNG(data); msg != "" {
			return []Finding{at(Pos{1, 1}, "%s", msg)}
		}
		return nil
	}
	var out []Finding
	for _, p := range svgProblems(data) {
		out = append(out, at(p.pos, "%s", p.msg))
	}
	return out
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// checkPNG says what is wrong with a PNG logo, or "". The header's size is
// checked before the image is decoded, so that a small file claiming a
// huge image costs nothing.
func checkPNG(data []byte) string {
	if !bytes.HasPrefix(data, pngSignature) {
		return "the file is not a PNG image (it does not start with the PNG signature); save the logo as PNG, or as SVG named .svg"
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Sprintf("the PNG image is damaged (%v); export it again", err)
	}
	if cfg.Width < MinLogoPixels || cfg.Height < MinLogoPixels || cfg.Width > MaxLogoPixels || cfg.Height > MaxLogoPixels {
		return fmt.Sprintf("the logo is %d×%d pixels; a PNG logo is %d to %d pixels on each side: export it at another size",
			cfg.Width, cfg.Height, MinLogoPixels, MaxLogoPixels)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		return fmt.Sprintf("the PNG image is damaged (%v); export it again", err)
	}
	return ""
}

const svgNS = "http://www.w3.org/2000/svg"

// svgElements are the SVG elements a logo may use: shapes, text, paint
// servers, clipping, masking and filters. Everything else is refused:
// script, foreignObject (HTML inside), a and animation elements (which can
// set links), image, and whatever a later version of SVG adds.
var svgElements = setOf("svg", "g", "defs", "title", "desc", "metadata", "symbol", "use", "style",
	"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
	"linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
	"filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
	"feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
	"feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
	"feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence")

// editorNamespaces hold what drawing programs add (Inkscape's view
// settings, RDF licence metadata): browsers draw none of it.
var editorNamespaces = setOf(
	"http://www.inkscape.org/namespaces/inkscape",
	"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#",
	"http://purl.org/dc/elements/1.1/",
	"http://creativecommons.org/ns#",
	"http://web.resource.org/cc/",
)

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// cssURL finds url(...) in CSS and attribute values; cssDanger what else
// in CSS loads or runs something.
var (
	cssURL    = regexp.MustCompile(`(?i)url\(\s*['"]?\s*([^'")\s]*)`)
	cssDanger = regexp.MustCompile(`(?i)@import|expression\s*\(|javascript:`)
)

type svgProblem struct {
	pos Pos
	msg string
}

// svgProblems reads an SVG logo as XML and lists what a logo may not
// hold, each where it is written.
func svgProblems(data []byte) []svgProblem {
	var out []svgProblem
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	root := false
	var inStyle bool
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			msg := err.Error()
			if se, ok := err.(*xml.SyntaxError); ok {
				msg = se.Msg
			}
			return append(out, svgProblem{Pos{int32(line), int32(col)}, "the logo is not well-formed XML (" + msg + "); export it again as plain SVG"})
		}
		end := int(dec.InputOffset())
		here := offsetPos(data, skipSpace(data, start))
		switch t := tok.(type) {
		case xml.Directive:
			out = append(out, svgProblem{here, "a logo may not have a DOCTYPE or other declaration (it can define entities and load files); remove it"})
		case xml.ProcInst:
			if t.Target != "xml" {
				out = append(out, svgProblem{here, fmt.Sprintf("the processing instruction <?%s ...?> may load a style sheet; remove it and put the styles in the SVG", t.Target)})
			}
		case xml.StartElement:
			name := t.Name
			switch {
			case !root && (name.Space != svgNS || name.Local != "svg"):
				return append(out, svgProblem{here, fmt.Sprintf("the logo's root element is <%s>; an SVG logo is an <svg> element in the namespace %s", name.Local, svgNS)})
			case name.Space == svgNS && !svgElements[name.Local]:
				out = append(out, svgProblem{here, fmt.Sprintf("<%s> is not allowed in a logo, which holds shapes, text, gradients, masks and filters only; remove it", name.Local)})
			case name.Space != svgNS && !editorNamespaces[name.Space]:
				out = append(out, svgProblem{here, fmt.Sprintf("<%s> of the namespace %q is not allowed in a logo; export it as plain SVG", name.Local, name.Space)})
			}
			root = true
			inStyle = name.Space == svgNS && name.Local == "style"
			for _, a := range t.Attr {
				if msg := attrProblem(a); msg != "" {
					out = append(out, svgProblem{offsetPos(data, attrOffset(data, start, end, a.Name.Local)), msg})
				}
			}
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle {
				if msg := cssProblem(string(t)); msg != "" {
					out = append(out, svgProblem{here, "the <style> element " + msg})
				}
			}
		}
	}
	if !root {
		out = append(out, svgProblem{Pos{1, 1}, "the file holds no SVG; an SVG logo is an <svg> element"})
	}
	return out
}

// attrProblem says why an attribute may not be in a logo, or "".
func attrProblem(a xml.Attr) string {
	local := strings.ToLower(a.Name.Local)
	switch {
	case strings.HasPrefix(local, "on"):
		return fmt.Sprintf("the attribute %s runs a script; remove it", a.Name.Local)
	case local == "href" && !strings.HasPrefix(strings.TrimSpace(a.Value), "#"):
		return fmt.Sprintf("href %q points outside the logo; a logo refers only to its own parts (href=\"#id\")", a.Value)
	}
	if msg := cssProblem(a.Value); msg != "" {
		return "the attribute " + a.Name.Local + " " + msg
	}
	return ""
}

// cssProblem says what in a piece of CSS (or an attribute value) loads or
// runs something, or "".
func cssProblem(s string) string {
	if m := cssDanger.FindString(s); m != "" {
		return fmt.Sprintf("uses %s, which loads or runs something; remove it", m)
	}
	for _, m := range cssURL.FindAllStringSubmatch(s, -1) {
		if !strings.HasPrefix(m[1], "#") {
			return fmt.Sprintf("uses url(%s), which loads something from outside the logo; use url(#id) for its own gradients, masks and filters", m[1])
		}
	}
	return ""
}

func skipSpace(data []byte, off int) int {
	for off < len(data) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\n' || data[off] == '\r') {
		off++
	}
	return off
}

// attrOffset finds where an attribute is written in the tag between two
// offsets, for its finding's column; the tag's start when it cannot tell.
func attrOffset(data []byte, start, end int, local string) int {
	tag := data[start:min(end, len(data))]
	for i := 0; ; {
		j := bytes.Index(tag[i:], []byte(local))
		if j < 0 {
			return skipSpace(data, start)
		}
		k := i + j
		before := byte(' ')
		if k > 0 {
			before = tag[k-1]
		}
		rest := bytes.TrimLeft(tag[k+len(local):], " \t\r\n")
		if (before == ' ' || before == '\t' || before == '\n' || before == '\r' || before == ':') && len(rest) > 0 && rest[0] == '=' {
			for k > 0 && tag[k-1] != ' ' && tag[k-1] != '\t' && tag[k-1] != '\n' && tag[k-1] != '\r' {
				k-- // back to the prefix, as in xlink:href
			}
			return start + k
		}
		i = k + len(local)
	}
}

// offsetPos is the line and column of a byte offset.
func offsetPos(data []byte, off int) Pos {
	off = min(off, len(data))
	line := int32(1 + bytes.Count(data[:off], []byte("\n")))
	col := int32(off - bytes.LastIndexByte(data[:off], '\n'))
	return Pos{line, col}
}
