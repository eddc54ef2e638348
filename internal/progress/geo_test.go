package progress_test

import (
	"math"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/progress"
)

const squareRing = `[[117,36],[117.01,36],[117.01,36.01],[117,36.01],[117,36]]`

func feature(props, geometry string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}`
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func polygon(rings ...string) string {
	return `{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`
}

func TestParseGeoJSON(t *testing.T) {
	raw := collection(
		// A polygon with a hole, extra properties and a third (altitude) coordinate.
		feature(`{"code":"QS-01-001","name":"东关社区","pop":1200}`,
			polygon(squareRing, `[[117.002,36.002,15],[117.004,36.002,15],[117.004,36.004,15],[117.002,36.002,15]]`)),
		// A multipolygon of two parts.
		feature(`{"code":"QS-01-002"}`,
			`{"type":"MultiPolygon","coordinates":[[[[118,37],[118.5,37],[118.5,37.5],[118,37]]],[[[-1,-2],[1,-2],[1,2],[-1,2],[-1,-2]]]]}`),
		// Properties before type, geometry with extra members.
		`{"properties":{"code":"QS-02-001"},"geometry":{"coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]],"type":"Polygon","bbox":[0,0,1,1]},"type":"Feature","id":7}`,
	)
	shapes, err := progress.ParseGeoJSON([]byte(raw))
	if err != nil {
		t.Fatalf("ParseGeoJSON: %v", err)
	}
	if len(shapes) != 3 {
		t.Fatalf("%d shapes, want 3: %v", len(shapes), shapes)
	}
	a := shapes["QS-01-001"]
	if len(a) != 1 || len(a[0]) != 2 || len(a[0][0]) != 5 || len(a[0][1]) != 4 {
		t.Fatalf("QS-01-001 = %v, want one polygon of a 5-point ring and a 4-point hole", a)
	}
	if a[0][0][1] != [2]float64{117.01, 36} || a[0][1][2] != [2]float64{117.004, 36.004} {
		t.Errorf("QS-01-001 points = %v", a)
	}
	b := shapes["QS-01-002"]
	if len(b) != 2 || len(b[0]) != 1 || len(b[1]) != 1 || len(b[0][0]) != 4 || len(b[1][0]) != 5 {
		t.Fatalf("QS-01-002 = %v, want two polygons of 4 and 5 points", b)
	}
	if b[0][0][2] != [2]float64{118.5, 37.5} || b[1][0][0] != [2]float64{-1, -2} {
		t.Errorf("QS-01-002 points = %v", b)
	}
	c := shapes["QS-02-001"]
	if len(c) != 1 || len(c[0]) != 1 || c[0][0][1] != [2]float64{180, -90} {
		t.Errorf("QS-02-001 = %v", c)
	}
}

func TestParseGeoJSONRefuses(t *testing.T) {
	good := feature(`{"code":"A"}`, polygon(squareRing))
	cases := []struct {
		name string
		raw  string
		msg  string
	}{
		{"not JSON", `{"type":`, "不是有效的 GeoJSON 文件"},
		{"empty file", ``, "不是有效的 GeoJSON 文件"},
		{"JSON array", `[1,2]`, "不是有效的 GeoJSON 文件"},
		{"features not a list", `{"type":"FeatureCollection","features":{}}`, "不是有效的 GeoJSON 文件"},
		{"a single feature", good, "GeoJSON 文件应为要素集合"},
		{"a bare geometry", polygon(squareRing), "应为要素集合"},
		{"no type", `{"features":[` + good + `]}`, "应为要素集合"},
		{"JSON null", `null`, "应为要素集合"},
		{"no features", `{"type":"FeatureCollection","features":[]}`, "GeoJSON 中没有任何要素"},
		{"features missing", `{"type":"FeatureCollection"}`, "没有任何要素"},
		{"no code", collection(feature(`{"name":"东关"}`, polygon(squareRing))), "第1个要素缺少社区编码属性"},
		{"empty code", collection(feature(`{"code":""}`, polygon(squareRing))), "第1个要素缺少社区编码属性"},
		{"numeric code", collection(feature(`{"code":101}`, polygon(squareRing))), "第1个要素缺少社区编码属性"},
		{"null properties", collection(feature(`null`, polygon(squareRing))), "第1个要素缺少社区编码属性"},
		{"no code on the second", collection(good, feature(`{}`, polygon(squareRing))), "第2个要素缺少社区编码属性"},
		{"duplicate code", collection(good, feature(`{"code":"B"}`, polygon(squareRing)), good), "第3个要素(A):社区编码重复"},
		{"null geometry", collection(feature(`{"code":"A"}`, `null`)), "第1个要素(A)没有几何图形"},
		{"point geometry", collection(feature(`{"code":"A"}`, `{"type":"Point","coordinates":[117,36]}`)),
			"第1个要素(A)的几何类型应为多边形"},
		{"line geometry", collection(good, feature(`{"code":"B"}`, `{"type":"LineString","coordinates":[[117,36],[118,37]]}`)),
			"第2个要素(B)的几何类型应为多边形"},
		{"lower-case type", collection(feature(`{"code":"A"}`, `{"type":"polygon","coordinates":[`+squareRing+`]}`)), "的几何类型应为"},
		{"polygon coordinates not numbers", collection(feature(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[["117","36"]]]}`)),
			"第1个要素(A)的坐标格式不对"},
		{"polygon with multipolygon nesting", collection(feature(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[`+squareRing+`]]}`)),
			"第1个要素(A)的坐标格式不对"},
		{"multipolygon with polygon nesting", collection(feature(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[`+squareRing+`]}`)),
			"第1个要素(A)的坐标格式不对"},
		{"polygon without coordinates", collection(feature(`{"code":"A"}`, `{"type":"Polygon"}`)), "第1个要素(A)的坐标格式不对"},
		{"polygon without rings", collection(feature(`{"code":"A"}`, `{"type":"Polygon","coordinates":[]}`)), "第1个要素(A)有空的多边形"},
		{"multipolygon without polygons", collection(feature(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[]}`)), "第1个要素(A)没有多边形"},
		{"multipolygon with an empty polygon", collection(feature(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[[`+squareRing+`],[]]}`)),
			"第1个要素(A)有空的多边形"},
		{"ring of three points", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[118,36],[117,36]]`))),
			"第1个要素(A)的多边形至少需要4个点(首尾相同)"},
		{"empty ring", collection(feature(`{"code":"A"}`, polygon(`[]`))), "至少需要4个点"},
		{"hole of three points", collection(feature(`{"code":"A"}`, polygon(squareRing, `[[117.002,36.002],[117.004,36.002],[117.002,36.002]]`))),
			"至少需要4个点"},
		{"unclosed ring", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[117.01,36],[117.01,36.01],[117,36.01]]`))),
			"第1个要素(A)的多边形至少需要4个点(首尾相同)"},
		{"unclosed ring in the second part", collection(feature(`{"code":"A"}`,
			`{"type":"MultiPolygon","coordinates":[[`+squareRing+`],[[[118,37],[118.5,37],[118.5,37.5],[118.1,37.6],[118,37.1]]]]}`)),
			"首尾相同"},
		{"longitude over 180", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[180.5,36],[117,37],[117,36]]`))),
			"第1个要素(A)的坐标超出经纬度范围"},
		{"longitude under -180", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[-181,36],[117,37],[117,36]]`))), "超出经纬度范围"},
		{"latitude over 90", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[118,90.1],[117,37],[117,36]]`))), "超出经纬度范围"},
		{"latitude under -90", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[118,-91],[117,37],[117,36]]`))), "超出经纬度范围"},
		{"swapped latitude and longitude", collection(feature(`{"code":"A"}`, polygon(`[[36,117],[36,118],[37,117],[36,117]]`))), "超出经纬度范围"},
		{"out of range in a hole", collection(feature(`{"code":"A"}`, polygon(squareRing, `[[117,36],[118,95],[117,37],[117,36]]`))), "超出经纬度范围"},
		// A position needs a longitude and a latitude: a missing one must not be read as 0.
		{"position with one number", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[117.01],[117.01,36.01],[117,36]]`))),
			"第1个要素(A)的坐标格式不对"},
		{"empty position", collection(feature(`{"code":"A"}`, polygon(`[[117,36],[],[117.01,36.01],[117,36]]`))),
			"第1个要素(A)的坐标格式不对"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shapes, err := progress.ParseGeoJSON([]byte(c.raw))
			if err == nil {
				t.Fatalf("accepted: %v", shapes)
			}
			if shapes != nil {
				t.Errorf("shapes returned with the error: %v", shapes)
			}
			checkErr(t, err, wantErr{errs.Unprocessable, "file", c.msg})
		})
	}
}

func TestBoundsOf(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) progress.Polygon {
		return progress.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
	}
	for _, c := range []struct {
		name   string
		shapes []progress.Shape
		want   progress.Bounds
		ok     bool
	}{
		{"nil", nil, progress.Bounds{}, false},
		{"empty shapes", []progress.Shape{{}, {progress.Polygon{}}, {progress.Polygon{{}}}}, progress.Bounds{}, false},
		{"one square", []progress.Shape{{sq(117, 36, 117.5, 36.25)}}, progress.Bounds{117, 36, 117.5, 36.25}, true},
		{"single point", []progress.Shape{{progress.Polygon{{{3, 4}}}}}, progress.Bounds{3, 4, 3, 4}, true},
		{"two shapes, negative coordinates", []progress.Shape{
			{sq(-10, -5, -8, -1)},
			{sq(2, 3, 4, 8), sq(0, -7, 1, -6)},
		}, progress.Bounds{-10, -7, 4, 8}, true},
		{"extremes in a hole", []progress.Shape{{progress.Polygon{
			{{0, 0}, {1, 0}, {1, 1}, {0, 0}},
			{{-2, 0.5}, {0.5, 3}, {0.5, 0.5}, {-2, 0.5}},
		}}}, progress.Bounds{-2, 0, 1, 3}, true},
		{"empty shape among others", []progress.Shape{{}, {sq(5, 6, 7, 9)}, nil}, progress.Bounds{5, 6, 7, 9}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := progress.BoundsOf(c.shapes)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, c.ok, got)
			}
			if !ok {
				// Nothing to bound: an inverted, infinite box, never a false zero one.
				if got.MinX <= got.MaxX || got.MinY <= got.MaxY {
					t.Errorf("empty bounds %+v look like a real box", got)
				}
				return
			}
			if got != c.want {
				t.Errorf("BoundsOf = %+v, want %+v", got, c.want)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestFit(t *testing.T) {
	type pt struct{ lon, lat, x, y float64 }
	cos := func(deg float64) float64 { return math.Cos(deg * math.Pi / 180) }
	for _, c := range []struct {
		name       string
		b          progress.Bounds
		x, y, w, h float64
		want       []pt
	}{
		{
			// 2° × 2° around latitude 36: longitudes shrink by cos 36° ≈ 0.809, so
			// the height limits the scale (150 per degree) and the map is centred across.
			name: "tall map in a wide box", b: progress.Bounds{MinX: 116, MinY: 35, MaxX: 118, MaxY: 37},
			x: 10, y: 20, w: 400, h: 300,
			want: []pt{
				{116, 37, 10 + (400-2*cos(36)*150)/2, 20},        // north-west corner: top left
				{118, 35, 10 + (400+2*cos(36)*150)/2, 320},       // south-east corner: bottom right
				{116, 35, 10 + (400-2*cos(36)*150)/2, 320},       // south-west
				{118, 37, 10 + (400+2*cos(36)*150)/2, 20},        // north-east
				{117, 36, 210, 170},                              // centre of the bounds: centre of the box
				{116.5, 36.5, 210 - 0.5*cos(36)*150, 170 - 75.0}, // north up
			},
		},
		{
			// 10° × 1° on the equator: the width limits the scale.
			name: "wide map in a square box", b: progress.Bounds{MinX: 0, MinY: -0.5, MaxX: 10, MaxY: 0.5},
			x: 0, y: 0, w: 100, h: 100,
			want: []pt{
				{0, 0.5, 0, 50 - 5/cos(0)},
				{10, -0.5, 100, 50 + 5/cos(0)},
				{5, 0, 50, 50},
			},
		},
		{
			name: "southern hemisphere, west of Greenwich", b: progress.Bounds{MinX: -60, MinY: -40, MaxX: -50, MaxY: -20},
			x: -5, y: 7, w: 50, h: 80,
			want: []pt{
				// cos(-30°) ≈ 0.866: width 8.66°, height 20°; scale min(50/8.66, 80/20) = 4.
				{-60, -20, -5 + (50-10*cos(30)*4)/2, 7},
				{-50, -40, -5 + (50+10*cos(30)*4)/2, 87},
				{-55, -30, 20, 47},
			},
		},
		{
			name: "east-west line", b: progress.Bounds{MinX: 100, MinY: 20, MaxX: 101, MaxY: 20},
			x: 0, y: 0, w: 200, h: 100,
			want: []pt{{100, 20, 0, 50}, {101, 20, 200, 50}, {100.5, 20, 100, 50}},
		},
		{
			name: "north-south line", b: progress.Bounds{MinX: 100, MinY: 20, MaxX: 100, MaxY: 22},
			x: 0, y: 0, w: 200, h: 100,
			want: []pt{{100, 22, 100, 0}, {100, 20, 100, 100}},
		},
		{
			// All shapes on one point (a degenerate upload): drawn in the middle of the box.
			name: "single point", b: progress.Bounds{MinX: 117, MinY: 36, MaxX: 117, MaxY: 36},
			x: 10, y: 10, w: 200, h: 100,
			want: []pt{{117, 36, 110, 60}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := progress.Fit(c.b, c.x, c.y, c.w, c.h)
			for _, q := range c.want {
				x, y := p.Point([2]float64{q.lon, q.lat})
				if !near(x, q.x) || !near(y, q.y) {
					t.Errorf("Point(%v, %v) = (%.6f, %.6f), want (%.6f, %.6f)", q.lon, q.lat, x, y, q.x, q.y)
				}
			}
			// The bounds' corners stay within the box, and one dimension fills it.
			x0, y0 := p.Point([2]float64{c.b.MinX, c.b.MaxY})
			x1, y1 := p.Point([2]float64{c.b.MaxX, c.b.MinY})
			for _, v := range [][3]float64{{x0, c.x, c.x + c.w}, {x1, c.x, c.x + c.w}, {y0, c.y, c.y + c.h}, {y1, c.y, c.y + c.h}} {
				if v[0] < v[1]-1e-6 || v[0] > v[2]+1e-6 {
					t.Errorf("corner coordinate %v outside [%v, %v]", v[0], v[1], v[2])
				}
			}
			if x0 > x1+1e-9 || y0 > y1+1e-9 {
				t.Errorf("west/north (%v, %v) not left of and above east/south (%v, %v)", x0, y0, x1, y1)
			}
			// Aspect ratio: projected width / height = Δlon·cos(mid latitude) / Δlat.
			dLon, dLat := c.b.MaxX-c.b.MinX, c.b.MaxY-c.b.MinY
			if dLon > 0 && dLat > 0 {
				kx := math.Cos((c.b.MinY + c.b.MaxY) / 2 * math.Pi / 180)
				if got, want := (x1-x0)/(y1-y0), dLon*kx/dLat; math.Abs(got-want) > 1e-9*want {
					t.Errorf("aspect = %v, want %v", got, want)
				}
				if !near(x1-x0, c.w) && !near(y1-y0, c.h) {
					t.Errorf("map %vx%v fills neither dimension of the %vx%v box", x1-x0, y1-y0, c.w, c.h)
				}
			}
		})
	}
}

// Every point of parsed shapes lands in the box the map is fitted to.
func TestFitParsedShapesInsideBox(t *testing.T) {
	raw := collection(
		feature(`{"code":"A"}`, polygon(`[[117.1,36.2],[117.3,36.15],[117.25,36.4],[117.05,36.35],[117.1,36.2]]`)),
		feature(`{"code":"B"}`, `{"type":"MultiPolygon","coordinates":[[[[117.3,36.0],[117.6,36.05],[117.5,36.3],[117.3,36.0]]],[[[116.9,36.5],[117.0,36.5],[117.0,36.6],[116.9,36.5]]]]}`),
	)
	shapes, err := progress.ParseGeoJSON([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	all := []progress.Shape{shapes["A"], shapes["B"]}
	b, ok := progress.BoundsOf(all)
	if !ok || b != (progress.Bounds{MinX: 116.9, MinY: 36.0, MaxX: 117.6, MaxY: 36.6}) {
		t.Fatalf("bounds %+v, %v", b, ok)
	}
	const x, y, w, h = 20.0, 30.0, 600.0, 372.0
	p := progress.Fit(b, x, y, w, h)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range all {
		for _, poly := range s {
			for _, ring := range poly {
				for _, pt := range ring {
					px, py := p.Point(pt)
					minX, maxX, minY, maxY = min(minX, px), max(maxX, px), min(minY, py), max(maxY, py)
				}
			}
		}
	}
	if minX < x-1e-6 || maxX > x+w+1e-6 || minY < y-1e-6 || maxY > y+h+1e-6 {
		t.Errorf("projected extent [%v,%v]×[%v,%v] leaves the box [%v,%v]×[%v,%v]", minX, maxX, minY, maxY, x, x+w, y, y+h)
	}
	// Centred: equal margins on both sides of each dimension.
	if !near(minX-x, x+w-maxX) || !near(minY-y, y+h-maxY) {
		t.Errorf("not centred: margins %v/%v and %v/%v", minX-x, x+w-maxX, minY-y, y+h-maxY)
	}
}
