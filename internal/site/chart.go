package site

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

// Chart geometry, in SVG user units: the charts scale to their column, so
// these fix proportions and the size of the text relative to the bars.
const (
	chartAxis   = 34  // room left of the bars for the score axis
	chartTop    = 18  // room above the tallest bar for its value
	chartPlot   = 120 // height of the bars' area
	chartBottom = 34  // room below for month and year labels
	chartRight  = 6
)

// barChart draws monthly scores as an SVG bar chart, a bar per month, each
// with its value. The title and a description listing every month's score
// make it readable without seeing it. id makes the chart's element ids
// unique in its page.
func barChart(id, title string, months []ledger.Month, scores map[ledger.Month]int) template.HTML {
	slot := 30
	if len(months) <= 3 {
		slot = 64
	}
	width := chartAxis + slot*len(months) + chartRight
	height := chartTop + chartPlot + chartBottom
	top := 0
	values := make([]int, len(months))
	for i, m := range months {
		values[i] = scores[m]
		top = max(top, values[i])
	}
	scale := niceCeiling(top)

	var desc []string
	total := 0
	for i, m := range months {
		desc = append(desc, words.Month(m)+": "+strconv.Itoa(values[i]))
		total += values[i]
	}
	description := "Monthly score, " + words.Month(months[0]) + " to " + words.Month(months[len(months)-1]) +
		", " + strconv.Itoa(total) + " in all. " + strings.Join(desc, "; ") + "."

	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`,
		width, height, width, height, id, id)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(description))

	// Grid lines at zero, half and the top of the scale, labelled.
	base := chartTop + chartPlot
	for _, v := range []int{0, scale / 2, scale} {
		y := base - v*chartPlot/scale
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1"/>`,
			chartAxis, y, width-chartRight, y, map[bool]string{true: "#57606a", false: "#d0d7de"}[v == 0])
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="11" fill="#57606a">%d</text>`, chartAxis-6, y+4, v)
	}
	barWidth := slot * 3 / 5
	for i, m := range months {
		x := chartAxis + i*slot + (slot-barWidth)/2
		h := values[i] * chartPlot / scale
		if values[i] > 0 && h < 2 {
			h = 2 // a small score stays visible
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="#0a58a8"/>`, x, base-h, barWidth, h)
		mid := x + barWidth/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="#1f2328">%d</text>`, mid, base-h-5, values[i])
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="#1f2328">%s</text>`, mid, base+16, words.ShortMonth(m))
		if i == 0 || m.Number() == 1 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="11" fill="#57606a">%d</text>`, mid, base+30, m.Year())
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceCeiling is the smallest round number (10, 20, 30, 40, 50, 60, 80,
// 100, 200...) that is at least n: an even one, so that the half-way grid
// line falls on a whole number.
func niceCeiling(n int) int {
	for step := 10; ; step *= 10 {
		for _, f := range []int{1, 2, 3, 4, 5, 6, 8} {
			if c := f * step; c >= n {
				return c
			}
		}
	}
}
