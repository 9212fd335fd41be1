package site

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

// series is one coloured part of a stacked bar chart.
type series struct {
	Name   string
	Colour string
	Values []int
}

// Colours of the health charts' series: each has at least 3:1 contrast
// with the white page, as graphics need (WCAG 1.4.11), and they differ in
// lightness as well as hue.
const (
	colourBlue   = "#0a58a8"
	colourOrange = "#bc4c00"
	colourGreen  = "#1a7f37"
)

// stackedChart draws monthly figures as stacked bars, one bar per month,
// with the total above each. Its title and a description giving every
// month's figures make it readable without seeing it; the page shows the
// legend beside it.
func stackedChart(id, title, unit string, months []ledger.Month, parts []series) template.HTML {
	slot := 30
	width := chartAxis + slot*len(months) + chartRight
	height := chartTop + chartPlot + chartBottom
	totals := make([]int, len(months))
	top := 0
	for i := range months {
		for _, s := range parts {
			totals[i] += s.Values[i]
		}
		top = max(top, totals[i])
	}
	scale := niceCeiling(top)
	var desc []string
	for i, m := range months {
		var pieces []string
		for _, s := range parts {
			pieces = append(pieces, strconv.Itoa(s.Values[i])+" "+s.Name)
		}
		desc = append(desc, words.Month(m)+": "+strings.Join(pieces, ", "))
	}
	description := title + ", " + words.Month(months[0]) + " to " + words.Month(months[len(months)-1]) + ", in " + unit + ". " +
		strings.Join(desc, "; ") + "."

	var b strings.Builder
	svgOpen(&b, id, title, description, width, height)
	base := chartTop + chartPlot
	grid(&b, scale, width)
	barWidth := slot * 3 / 5
	for i, m := range months {
		x := chartAxis + i*slot + (slot-barWidth)/2
		y := base
		for _, s := range parts {
			h := s.Values[i] * chartPlot / scale
			if s.Values[i] > 0 && h < 2 {
				h = 2
			}
			if h > 0 {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, x, y-h, barWidth, h, s.Colour)
			}
			y -= h
		}
		mid := x + barWidth/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#1f2328">%d</text>`, mid, y-4, totals[i])
		monthLabels(&b, i, m, mid, base)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// categoryChart draws one bar per category, labelled below, each with its
// value: a distribution.
func categoryChart(id, title, unit string, labels []string, values []int) template.HTML {
	slot := 64
	width := chartAxis + slot*len(labels) + chartRight
	height := chartTop + chartPlot + chartBottom
	top, total := 0, 0
	for _, v := range values {
		top, total = max(top, v), total+v
	}
	scale := niceCeiling(top)
	var desc []string
	for i, l := range labels {
		desc = append(desc, l+": "+strconv.Itoa(values[i]))
	}
	description := title + ", " + strconv.Itoa(total) + " " + unit + " in all. " + strings.Join(desc, "; ") + "."
	var b strings.Builder
	svgOpen(&b, id, title, description, width, height)
	base := chartTop + chartPlot
	grid(&b, scale, width)
	barWidth := slot * 3 / 5
	for i, l := range labels {
		x := chartAxis + i*slot + (slot-barWidth)/2
		h := values[i] * chartPlot / scale
		if values[i] > 0 && h < 2 {
			h = 2
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="%s"/>`, x, base-h, barWidth, h, colourBlue)
		mid := x + barWidth/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="#1f2328">%d</text>`, mid, base-h-5, values[i])
		// Two lines of at most a few words each fit under a bar.
		first, second := splitLabel(l)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="10" fill="#1f2328">%s</text>`, mid, base+14, template.HTMLEscapeString(first))
		if second != "" {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="10" fill="#1f2328">%s</text>`, mid, base+27, template.HTMLEscapeString(second))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// splitLabel breaks a label into two lines at the space nearest its
// middle.
func splitLabel(s string) (string, string) {
	best := -1
	for i, r := range s {
		if r == ' ' && (best < 0 || abs(2*i-len(s)) < abs(2*best-len(s))) {
			best = i
		}
	}
	if best < 0 || len(s) <= 8 {
		return s, ""
	}
	return s[:best], s[best+1:]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func svgOpen(b *strings.Builder, id, title, description string, width, height int) {
	esc := template.HTMLEscapeString
	fmt.Fprintf(b, `<svg class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`,
		width, height, width, height, id, id)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(description))
}

// grid draws the lines at zero, half and the top of the scale, labelled.
func grid(b *strings.Builder, scale, width int) {
	base := chartTop + chartPlot
	for _, v := range []int{0, scale / 2, scale} {
		y := base - v*chartPlot/scale
		colour := "#d0d7de"
		if v == 0 {
			colour = "#57606a"
		}
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1"/>`, chartAxis, y, width-chartRight, y, colour)
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end" font-size="11" fill="#57606a">%d</text>`, chartAxis-6, y+4, v)
	}
}

// monthLabels writes a month's name under its bar, and the year under
// the first bar and each January.
func monthLabels(b *strings.Builder, i int, m ledger.Month, mid, base int) {
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#1f2328">%s</text>`, mid, base+16, words.ShortMonth(m)[:1])
	if i == 0 || m.Number() == 1 {
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#57606a">%d</text>`, mid, base+30, m.Year())
	}
}
