package progress

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/huanjie/huanjie/internal/errs"
)

// Polygon is rings of [longitude, latitude] points, the outer ring first.
type Polygon [][][2]float64

// Shape is a community's boundary: one or more polygons.
type Shape []Polygon

type geoFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// ParseGeoJSON reads a FeatureCollection of Polygon or MultiPolygon
// features, each with a property "code" naming a community, into shapes by
// code, each re-encoded as compact JSON of its polygons. It refuses
// anything else with a Chinese message naming the feature.
func ParseGeoJSON(raw []byte) (map[string]Shape, error) {
	var fc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, errs.OnField("file", "不是有效的 GeoJSON 文件")
	}
	if fc.Type != "FeatureCollection" {
		return nil, errs.OnField("file", "GeoJSON 文件应为要素集合")
	}
	if len(fc.Features) == 0 {
		return nil, errs.OnField("file", "GeoJSON 中没有任何要素")
	}
	out := map[string]Shape{}
	for i, f := range fc.Features {
		where := fmt.Sprintf("第%d个要素", i+1)
		code, _ := f.Properties["code"].(string)
		if code == "" {
			return nil, errs.OnField("file", where+"缺少社区编码属性")
		}
		where += "(" + code + ")"
		if _, dup := out[code]; dup {
			return nil, errs.OnField("file", where+":社区编码重复")
		}
		if f.Geometry == nil {
			return nil, errs.OnField("file", where+"没有几何图形")
		}
		var polygons [][][][]float64
		var err error
		switch f.Geometry.Type {
		case "Polygon":
			polygons = make([][][][]float64, 1)
			err = json.Unmarshal(f.Geometry.Coordinates, &polygons[0])
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polygons)
		default:
			return nil, errs.OnField("file", where+"的几何类型应为多边形")
		}
		shape, ok := toShape(polygons)
		if err != nil || !ok {
			return nil, errs.OnField("file", where+"的坐标格式不对")
		}
		if err := shape.validate(); err != nil {
			return nil, errs.OnField("file", where+err.Error())
		}
		out[code] = shape
	}
	return out, nil
}

// toShape keeps the first two numbers (longitude, latitude) of each
// position; a position with fewer is not ok (decoded straight into
// [2]float64, [117.01] would silently become latitude 0).
func toShape(polygons [][][][]float64) (Shape, bool) {
	shape := make(Shape, len(polygons))
	for i, rings := range polygons {
		shape[i] = make(Polygon, len(rings))
		for j, ring := range rings {
			shape[i][j] = make([][2]float64, len(ring))
			for k, pt := range ring {
				if len(pt) < 2 {
					return nil, false
				}
				shape[i][j][k] = [2]float64{pt[0], pt[1]}
			}
		}
	}
	return shape, true
}

func (s Shape) validate() error {
	if len(s) == 0 {
		return fmt.Errorf("没有多边形")
	}
	for _, p := range s {
		if len(p) == 0 {
			return fmt.Errorf("有空的多边形")
		}
		for _, ring := range p {
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				return fmt.Errorf("的多边形至少需要4个点(首尾相同)")
			}
			for _, pt := range ring {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					return fmt.Errorf("的坐标超出经纬度范围")
				}
			}
		}
	}
	return nil
}

// Bounds is a box of longitudes and latitudes.
type Bounds struct{ MinX, MinY, MaxX, MaxY float64 }

// BoundsOf is the box around every shape; ok false when there is none.
func BoundsOf(shapes []Shape) (b Bounds, ok bool) {
	b = Bounds{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, s := range shapes {
		for _, p := range s {
			for _, ring := range p {
				for _, pt := range ring {
					b.MinX, b.MaxX = min(b.MinX, pt[0]), max(b.MaxX, pt[0])
					b.MinY, b.MaxY = min(b.MinY, pt[1]), max(b.MaxY, pt[1])
					ok = true
				}
			}
		}
	}
	return b, ok
}

// Projection maps longitude and latitude into a box of the SVG viewBox:
// equirectangular, longitudes shrunk by the cosine of the middle latitude,
// scaled to fit and centred, north up.
type Projection struct {
	scale, kx, x0, y0, minX, maxY float64
}

// Fit makes the projection that fits b into the box at (x, y) of w × h.
func Fit(b Bounds, x, y, w, h float64) Projection {
	kx := math.Cos((b.MinY + b.MaxY) / 2 * math.Pi / 180)
	gw, gh := max((b.MaxX-b.MinX)*kx, 1e-9), max(b.MaxY-b.MinY, 1e-9)
	scale := min(w/gw, h/gh)
	return Projection{scale: scale, kx: kx, minX: b.MinX, maxY: b.MaxY,
		x0: x + (w-(b.MaxX-b.MinX)*kx*scale)/2, y0: y + (h-(b.MaxY-b.MinY)*scale)/2}
}

// Point projects one [longitude, latitude].
func (p Projection) Point(pt [2]float64) (x, y float64) {
	return p.x0 + (pt[0]-p.minX)*p.kx*p.scale, p.y0 + (p.maxY-pt[1])*p.scale
}
