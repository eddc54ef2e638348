package web

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// mapCommunity is a community on the battle map.
type mapCommunity struct {
	Code, Name string
	Class      assess.Class
	Summary    progress.Summary
	Election   store.ElectionStanding // read for the colouring by election only
}

// mapDistrict is a district with its communities, in tree order.
type mapDistrict struct {
	Code, Name  string
	Communities []mapCommunity
}

// mapLegend is one entry of the map's legend.
type mapLegend struct{ Label, Color string }

// Map colouring modes.
const (
	mapByClass    = "class"
	mapByProgress = "progress"
	mapByElection = "election"
)

var classLegend = []mapLegend{{assess.A.Label() + " 运转良好", "#1a7f37"}, {assess.B.Label() + " " + assess.Yellow.Label(), "#d4a72c"},
	{assess.C.Label() + " " + assess.Red.Label(), "#cf222e"}, {assess.Unassessed.Label(), "#8c959f"}}

var progressLegend = []mapLegend{{"有逾期环节", "#cf222e"}, {"全部完成", "#1a7f37"}, {"完成过半", "#8fd19e"}, {"完成未过半", "#c8d1dc"}}

// electionColors colour a community by where its elections stand
// (election.Combine), in the order of election.Stages.
var electionColors = map[election.Stage]string{election.StageNone: "#c8d1dc", election.StageVoting: "#0969da",
	election.StageElected: "#8fd19e", election.StageFurther: "#d4a72c", election.StageVoid: "#cf222e", election.StageHandedOver: "#1a7f37"}

var electionLegend = func() []mapLegend {
	out := make([]mapLegend, len(election.Stages))
	for i, s := range election.Stages {
		out[i] = mapLegend{s.Label(), electionColors[s]}
	}
	return out
}()

func communityColor(c mapCommunity, by string) (string, string) {
	if by == mapByElection {
		e := c.Election
		return electionColors[e.Stage()], e.Stage().Label() + "(" + e.Note() + ")"
	}
	if by == mapByProgress {
		s := c.Summary
		note := fmt.Sprintf("已完成%d/%d个环节", s.Done, s.Total)
		if s.Late > 0 {
			note += fmt.Sprintf(",逾期%d个", s.Late)
		}
		switch {
		case s.Late > 0:
			return progressLegend[0].Color, note
		case s.Total > 0 && s.Done == s.Total:
			return progressLegend[1].Color, note
		case s.Share() >= 0.5:
			return progressLegend[2].Color, note
		}
		return progressLegend[3].Color, note
	}
	switch c.Class {
	case assess.A:
		return classLegend[0].Color, classLegend[0].Label
	case assess.B:
		return classLegend[1].Color, classLegend[1].Label
	case assess.C:
		return classLegend[2].Color, classLegend[2].Label
	}
	return classLegend[3].Color, classLegend[3].Label
}

// battleMap draws the battle map (作战图) as a standalone SVG document: a
// title and legend, then exactly one shape per community, linked to the
// community and grouped by district (<g data-district>). With boundaries
// the communities that have one are projected into the map box and the
// others set in a column beside it; without, a schematic lays the
// districts out as panels of squares. The viewBox scales to one printed page.
func battleMap(title, by string, districts []mapDistrict, shapes map[string]progress.Shape) string {
	const (
		width   = 1188.0 // A3 landscape proportions (420 × 297)
		margin  = 16.0
		headerH = 64.0
	)
	legend := map[string][]mapLegend{mapByClass: classLegend, mapByProgress: progressLegend, mapByElection: electionLegend}[by]
	total := 0
	for _, d := range districts {
		total += len(d.Communities)
	}
	labels := total <= 400
	var body strings.Builder
	var height float64
	useShapes := len(shapes) > 0
	if useShapes {
		height = drawProjected(&body, by, districts, shapes, margin, headerH, width-2*margin, labels)
	} else {
		height = drawSchematic(&body, by, districts, margin, headerH, width-2*margin, labels)
	}
	height = max(height+margin, 300)
	var b strings.Builder
	mapHead(&b, width, height, margin, title, map[bool]string{true: "geojson", false: "schematic"}[useShapes], total, legend)
	fmt.Fprintf(&b, `<text x="%.0f" y="54" font-size="12" fill="#5b636e" text-anchor="end">共 %d 个社区 · 点击社区查看详情</text>`, width-margin, total)
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return b.String()
}

// mapHead opens a battle map's SVG document: its box, title and legend.
func mapHead(b *strings.Builder, width, height, margin float64, title, layout string, communities int, legend []mapLegend) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart battle-map" viewBox="0 0 %.0f %.0f" width="100%%" preserveAspectRatio="xMidYMin meet" role="group" aria-label="%s" data-communities="%d" data-layout="%s">`,
		width, height, esc(title), communities, layout)
	fmt.Fprintf(b, `<title>%s</title>`, esc(title))
	fmt.Fprintf(b, `<rect x="0" y="0" width="%.0f" height="%.0f" fill="#ffffff"/>`, width, height)
	fmt.Fprintf(b, `<text x="%.0f" y="30" font-size="22" font-weight="bold">%s</text>`, margin, esc(title))
	x := margin
	for _, l := range legend {
		fmt.Fprintf(b, `<rect x="%.0f" y="42" width="14" height="14" fill="%s"/><text x="%.0f" y="54" font-size="13">%s</text>`,
			x, l.Color, x+18, esc(l.Label))
		x += 18 + 14*float64(len([]rune(l.Label))) + 22
	}
}

func esc(s string) string { return html.EscapeString(s) }

// shortName is what fits in a square: the name without its last character
// (社区/村) when longer than four, at most four characters.
func shortName(name string) string {
	r := []rune(strings.TrimSuffix(strings.TrimSuffix(name, "社区"), "村"))
	if len(r) > 4 {
		r = r[:4]
	}
	return string(r)
}

func openCommunity(b *strings.Builder, c mapCommunity, by string) string {
	color, note := communityColor(c, by)
	// The map is a group of links, not a picture that would hide them; each
	// link is named by the name it shows and described by its title.
	fmt.Fprintf(b, `<a href="/communities/%s/assessment">`, esc(c.Code))
	return color + "\x00" + esc(c.Name+"("+c.Code+")· "+note)
}

func drawSchematic(b *strings.Builder, by string, districts []mapDistrict, x0, y0, w float64, labels bool) float64 {
	if len(districts) == 0 {
		fmt.Fprintf(b, `<text x="%.0f" y="%.0f" font-size="14">管辖范围内没有社区。</text>`, x0, y0+30)
		return y0 + 40
	}
	most := 1
	for _, d := range districts {
		most = max(most, len(d.Communities))
	}
	const gap = 4.0
	cell := 40.0
	if !labels {
		cell = 14
	}
	k := int(math.Ceil(math.Sqrt(float64(most) * 1.5))) // squares per panel row
	if labels {
		// Few districts (one district's map): larger squares fill the width.
		perPanel := (w+12)/float64(len(districts)) - 12
		cell = min(160, max(cell, (perPanel-gap-8)/float64(k)-gap))
	}
	font := max(10, math.Round(cell/4))
	rows := (most + k - 1) / k
	panelW := float64(k)*(cell+gap) + gap + 8
	panelH := 26 + float64(rows)*(cell+gap) + gap + 4
	cols := max(1, int((w+12)/(panelW+12)))
	cols = min(cols, len(districts))
	for i, d := range districts {
		px := x0 + float64(i%cols)*(panelW+12)
		py := y0 + float64(i/cols)*(panelH+12)
		fmt.Fprintf(b, `<g data-district="%s">`, esc(d.Code))
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#f6f8fa" stroke="#8c959f" rx="4"/>`, px, py, panelW, panelH)
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="13" font-weight="bold">%s(%d)</text>`, px+6, py+18, esc(d.Name), len(d.Communities))
		for j, c := range d.Communities {
			cx := px + 4 + gap + float64(j%k)*(cell+gap)
			cy := py + 26 + float64(j/k)*(cell+gap)
			color, title, _ := strings.Cut(openCommunity(b, c, by), "\x00")
			fmt.Fprintf(b, `<rect data-code="%s" x="%.1f" y="%.1f" width="%.0f" height="%.0f" fill="%s" stroke="#ffffff"><title>%s</title></rect>`,
				esc(c.Code), cx, cy, cell, cell, color, title)
			if labels {
				fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%.0f" text-anchor="middle" fill="#ffffff">%s</text>`,
					cx+cell/2, cy+cell/2+font*0.4, font, esc(shortName(c.Name)))
			}
			b.WriteString(`</a>`)
		}
		b.WriteString(`</g>`)
	}
	rowsOfPanels := (len(districts) + cols - 1) / cols
	return y0 + float64(rowsOfPanels)*(panelH+12)
}

func drawProjected(b *strings.Builder, by string, districts []mapDistrict, shapes map[string]progress.Shape, x0, y0, w float64, labels bool) float64 {
	var all []progress.Shape
	missing := 0
	for _, d := range districts {
		for _, c := range d.Communities {
			if sh, ok := shapes[c.Code]; ok {
				all = append(all, sh)
			} else {
				missing++
			}
		}
	}
	side := 0.0
	if missing > 0 {
		side = 150
	}
	mapW, mapH := w-side, (w-side)*0.62
	bounds, _ := progress.BoundsOf(all)
	proj := progress.Fit(bounds, x0, y0, mapW, mapH)
	slot := 0
	for _, d := range districts {
		fmt.Fprintf(b, `<g data-district="%s">`, esc(d.Code))
		for _, c := range d.Communities {
			color, title, _ := strings.Cut(openCommunity(b, c, by), "\x00")
			sh, ok := shapes[c.Code]
			if !ok {
				sx, sy := x0+mapW+10, y0+22+float64(slot)*18
				slot++
				fmt.Fprintf(b, `<rect data-code="%s" x="%.1f" y="%.1f" width="14" height="14" fill="%s"><title>%s</title></rect>`,
					esc(c.Code), sx, sy, color, title)
				fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10">%s</text></a>`, sx+18, sy+11, esc(c.Name))
				continue
			}
			var path strings.Builder
			var cxSum, cySum, n float64
			for _, poly := range sh {
				for _, ring := range poly {
					for i, pt := range ring {
						x, y := proj.Point(pt)
						if i == 0 {
							fmt.Fprintf(&path, "M%.1f %.1f", x, y)
						} else {
							fmt.Fprintf(&path, "L%.1f %.1f", x, y)
						}
						if len(poly) > 0 && &ring[0] == &poly[0][0] {
							cxSum, cySum, n = cxSum+x, cySum+y, n+1
						}
					}
					path.WriteString("Z")
				}
			}
			fmt.Fprintf(b, `<path data-code="%s" d="%s" fill="%s" stroke="#ffffff" stroke-width="1" fill-rule="evenodd"><title>%s</title></path>`,
				esc(c.Code), path.String(), color, title)
			if labels && n > 0 {
				fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle">%s</text>`, cxSum/n, cySum/n+3, esc(shortName(c.Name)))
			}
			b.WriteString(`</a>`)
		}
		b.WriteString(`</g>`)
	}
	if missing > 0 {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="12" fill="#5b636e">未上传边界的社区(%d)</text>`, x0+mapW+10, y0+12, missing)
	}
	return y0 + max(mapH, 22+float64(slot)*18)
}

// districtMap draws the battle map of a scope too large to show its
// communities (Server.mapCommunities): one tile per district, coloured by
// the worst class among its communities (any C red, else any B yellow,
// else all A green; grey while some are unassessed and none is B or C),
// titled with its counts and leading to its own map, where the colouring
// asked for (by) applies. The progress and the elections are not counted
// per district: their colourings need a district chosen.
func districtMap(title, by string, ds []store.DistrictClasses, communities int) string {
	const (
		width, margin, headerH = 1188.0, 16.0, 64.0
		cell, gap              = 14.0, 2.0
	)
	perRow := int(math.Floor((width - 2*margin + gap) / (cell + gap)))
	rows := (len(ds) + perRow - 1) / perRow
	height := max(headerH+float64(rows)*(cell+gap)+margin, 300)
	var b strings.Builder
	b.Grow(200 * (len(ds) + 10))
	mapHead(&b, width, height, margin, title, "districts", communities, classLegend)
	note := "每格一个片区,按其中最差的类别着色 · 点击片区查看其作战图"
	if by != mapByClass {
		note = "按进度、按选举着色请点击片区"
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="54" font-size="12" fill="#5b636e" text-anchor="end">共 %d 个片区、%d 个社区 · %s</text>`,
		width-margin, len(ds), communities, esc(note))
	var num [20]byte
	for i, d := range ds {
		color := classLegend[3].Color
		c := d.Counts
		switch {
		case c.C > 0:
			color = classLegend[2].Color
		case c.B > 0:
			color = classLegend[1].Color
		case c.Unassessed == 0 && c.A > 0:
			color = classLegend[0].Color
		}
		// Written piece by piece, not with fmt: a province's 12,500 tiles
		// through Fprintf allocated megabytes a request.
		b.WriteString(`<a href="/map?by=`)
		b.WriteString(esc(by))
		b.WriteString(`&amp;district=`)
		b.WriteString(esc(d.Code))
		b.WriteString(`"><rect data-district="`)
		b.WriteString(esc(d.Code))
		b.WriteString(`" x="`)
		b.Write(strconv.AppendInt(num[:0], int64(margin)+int64(i%perRow)*int64(cell+gap), 10))
		b.WriteString(`" y="`)
		b.Write(strconv.AppendInt(num[:0], int64(headerH)+int64(i/perRow)*int64(cell+gap), 10))
		b.WriteString(`" width="`)
		b.Write(strconv.AppendInt(num[:0], int64(cell), 10))
		b.WriteString(`" height="`)
		b.Write(strconv.AppendInt(num[:0], int64(cell), 10))
		b.WriteString(`" fill="`)
		b.WriteString(color)
		b.WriteString(`"><title>`)
		b.WriteString(esc(d.Name))
		for j, n := range []int{c.A, c.B, c.C, c.Unassessed} {
			b.WriteString([]string{`:A类`, `,B类`, `,C类`, `,未研判`}[j])
			b.Write(strconv.AppendInt(num[:0], int64(n), 10))
		}
		b.WriteString(`</title></rect></a>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
