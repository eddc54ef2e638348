package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// barSeries is one colour of a stacked bar chart.
type barSeries struct {
	Label, Color string
}

// barRow is one bar: a label, a link and one value per series.
type barRow struct {
	Label, Href string
	Values      []int
}

// stackedBars draws a horizontal stacked bar chart as inline SVG: one bar
// per row, scaled to the largest total, with the values written in the
// segments and a legend. Drawn on the server, so it prints and needs no
// script.
func stackedBars(title string, series []barSeries, rows []barRow) template.HTML {
	const (
		labelW = 110.0
		barW   = 520.0
		rowH   = 30.0
		top    = 34.0
	)
	maxTotal := 1
	for _, r := range rows {
		t := 0
		for _, v := range r.Values {
			t += v
		}
		maxTotal = max(maxTotal, t)
	}
	height := top + rowH*float64(len(rows)) + 10
	width := labelW + barW + 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %.0f %.0f" %s aria-label="%s">`,
		width, height, svgRole(rows), html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	x := labelW
	for _, s := range series {
		fmt.Fprintf(&b, `<rect x="%.0f" y="6" width="14" height="14" fill="%s"/><text x="%.0f" y="18" font-size="13">%s</text>`,
			x, s.Color, x+18, html.EscapeString(s.Label))
		x += 18 + 14*float64(len([]rune(s.Label))) + 20
	}
	for i, r := range rows {
		y := top + rowH*float64(i)
		name := html.EscapeString(r.Label)
		label := name
		if r.Href != "" {
			label = fmt.Sprintf(`<a href="%s" aria-label="%s">%s</a>`, html.EscapeString(r.Href), html.EscapeString(barText(r, series)), label)
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="13" text-anchor="end">%s</text>`, labelW-8, y+18, label)
		x := labelW
		total := 0
		for j, v := range r.Values {
			total += v
			if v == 0 {
				continue
			}
			w := barW * float64(v) / float64(maxTotal)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.0f" width="%.1f" height="%.0f" fill="%s"><title>%s %s:%d</title></rect>`,
				x, y+4, w, rowH-8, series[j].Color, name, html.EscapeString(series[j].Label), v)
			if w >= 18 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" text-anchor="middle" fill="#fff">%d</text>`, x+w/2, y+19, v)
			}
			x += w
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" fill="#5b636e">%d</text>`, x+6, y+19, total)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// svgRole is a chart's role: a picture, unless its bars are links, which a
// picture would hide from screen readers; then a named group of links.
func svgRole(rows []barRow) string {
	for _, r := range rows {
		if r.Href != "" {
			return `role="group"`
		}
	}
	return `role="img"`
}

// barText is what a bar says to one who cannot see it: its label and values
// ("一片区,A类 3,C类 红色预警 1"; "A类 12" where the bar is one series).
func barText(r barRow, series []barSeries) string {
	text, total := r.Label, 0
	for j, v := range r.Values {
		total += v
		switch {
		case v == 0:
		case series[j].Label == r.Label:
			text += fmt.Sprintf(" %d", v)
		default:
			text += fmt.Sprintf(",%s %d", series[j].Label, v)
		}
	}
	if total == 0 {
		text += " 0"
	}
	return text
}

// dayShares draws, as inline SVG, one column per day: the share of total
// done by the end of that day, written above it, the day below.
func dayShares(title string, total int, days []string, done []int) template.HTML {
	const (
		colW, chartH, top, foot = 44.0, 120.0, 24.0, 22.0
	)
	width := colW*float64(len(days)) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart small" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`,
		width, top+chartH+foot, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&b, `<line x1="0" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#8c959f"/>`, top+chartH, width, top+chartH)
	for i, day := range days {
		share := 0.0
		if total > 0 {
			share = float64(done[i]) / float64(total)
		}
		h := chartH * share
		x := 5 + colW*float64(i)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.0f" height="%.1f" fill="#0b57d0"><title>%s 已答复 %d / %d</title></rect>`,
			x+6, top+chartH-h, colW-12, h, html.EscapeString(day), done[i], total)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle">%.0f%%</text>`, x+colW/2, top+chartH-h-4, 100*share)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" text-anchor="middle" fill="#3d444d">%s</text>`, x+colW/2, top+chartH+16, html.EscapeString(day))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
