package site

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math"
	"strings"
	"unicode"

	"github.com/tallyledger/tally/internal/ledger"
)

// LogoPath is where a partner's logo is in the site: the file from the
// ledger, copied as it was checked, or else its initials drawn in a
// circle (initialsLogo).
func LogoPath(id string, logo *ledger.Logo) string {
	if logo != nil && logo.Format == "png" {
		return "logos/" + id + ".png"
	}
	return "logos/" + id + ".svg"
}

// logoFile is the bytes of a partner's logo in the site.
func logoFile(p *Partner) []byte {
	if p.Logo != nil {
		return p.Logo.Data
	}
	return initialsLogo(p.ID, p.Org.Name)
}

// initialsLogo draws an organisation without a logo: the initials of its
// name, white on a circle whose colour comes from its id, so that it stays
// the same from month to month and differs between neighbours.
func initialsLogo(id, name string) []byte {
	esc := template.HTMLEscapeString
	initials := Initials(name)
	size := 28
	if len([]rune(initials)) == 1 {
		size = 32
	}
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="%s">
<title>%s</title>
<circle cx="32" cy="32" r="32" fill="%s"/>
<text x="32" y="33" text-anchor="middle" dominant-baseline="central" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif" font-size="%d" font-weight="600" fill="#ffffff">%s</text>
</svg>
`, esc(name), esc(name), LogoColour(id), size, esc(initials))
}

// Initials are the first letters of an organisation's first two words
// that start with a letter or digit: "Northwind Analytics Ltd" is "NA",
// "Globex" is "G".
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r := []rune(w)[0]
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		out = append(out, unicode.ToUpper(r))
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// LogoColour is the colour of an organisation's initials circle: a hue
// from its id, as dark as it must be for white text to reach 4.5:1.
func LogoColour(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	hue := float64(h.Sum32() % 360)
	for light := 0.42; ; light -= 0.02 {
		r, g, b := hsl(hue, 0.55, light)
		if contrast(r, g, b, 255, 255, 255) >= 4.5 {
			return fmt.Sprintf("#%02x%02x%02x", r, g, b)
		}
	}
}

// hsl converts a hue (degrees), saturation and lightness to sRGB.
func hsl(h, s, l float64) (r, g, b uint8) {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var rf, gf, bf float64
	switch {
	case h < 60:
		rf, gf = c, x
	case h < 120:
		rf, gf = x, c
	case h < 180:
		gf, bf = c, x
	case h < 240:
		gf, bf = x, c
	case h < 300:
		rf, bf = x, c
	default:
		rf, bf = c, x
	}
	to := func(v float64) uint8 { return uint8(math.Round((v + m) * 255)) }
	return to(rf), to(gf), to(bf)
}

// contrast is the WCAG contrast ratio of two sRGB colours.
func contrast(r1, g1, b1, r2, g2, b2 uint8) float64 {
	a, b := luminance(r1, g1, b1), luminance(r2, g2, b2)
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}

func luminance(r, g, b uint8) float64 {
	f := func(v uint8) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b)
}
