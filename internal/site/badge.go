package site

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// badge draws the SVG a partner embeds on its own site: "Partner of
// <program>" and, when the program has tiers, the partner's tier. Text is
// fitted to a width computed from its length (textLength), so the badge
// looks the same whichever font the viewer has.
func badge(program, tier string) []byte {
	esc := template.HTMLEscapeString
	label := "Partner of " + program
	textWidth := func(s string) int { return utf8.RuneCountInString(s)*13/2 + 1 }
	const pad, height = 8, 20
	left := textWidth(label) + 2*pad
	right := 0
	if tier != "" {
		right = textWidth(tier) + 2*pad
	}
	width := left + right
	alt := label
	if tier != "" {
		alt += ", " + tier + " tier"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`+"\n",
		width, height, width, height, esc(alt))
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(alt))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" rx="3" fill="#1f2328"/>`+"\n", width, height)
	if tier != "" {
		fmt.Fprintf(&b, `<path d="M%d 0h%d a3 3 0 0 1 3 3v%d a3 3 0 0 1 -3 3h-%dz" fill="#0a58a8"/>`+"\n",
			left, right-3, height-6, right-3)
	}
	fmt.Fprintf(&b, `<g font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11" fill="#ffffff">`+"\n")
	fmt.Fprintf(&b, `<text x="%d" y="14" textLength="%d" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n",
		pad, textWidth(label), esc(label))
	if tier != "" {
		fmt.Fprintf(&b, `<text x="%d" y="14" textLength="%d" lengthAdjust="spacingAndGlyphs" font-weight="bold">%s</text>`+"\n",
			left+pad, textWidth(tier), esc(tier))
	}
	b.WriteString("</g>\n</svg>\n")
	return []byte(b.String())
}
