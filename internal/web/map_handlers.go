package web

import (
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// mapBy reads ?by=class|progress|election (default class).
func mapBy(r *http.Request) (string, error) {
	switch by := r.URL.Query().Get("by"); by {
	case "", mapByClass:
		return mapByClass, nil
	case mapByProgress, mapByElection:
		return by, nil
	}
	return "", errs.OnField("by", fieldName("by")+"只能是按类别预警、按进度或按选举")
}

// battleMapSVG draws the map of the user's scope, or of one district in it
// (a zone of thousands of communities is read a district at a time).
// A map drawn a district a tile also answers the districts it read.
func (s *Server) battleMapSVG(ctx context.Context, db *store.Scoped, pc progressCtx, by, district string) (string, int, []store.DistrictClasses, error) {
	u := db.User()
	if district == "" {
		// A scope of more communities than a map can show one by one (a
		// province's 100,000) is drawn a district a tile, from the class
		// counters, each tile leading to its district's map.
		counts, err := db.ClassCounts(ctx)
		if err != nil {
			return "", 0, nil, err
		}
		if n := counts[assess.A] + counts[assess.B] + counts[assess.C] + counts[assess.Unassessed]; n > s.mapCommunities {
			ds, err := db.ClassCountsByDistrict(ctx, 0)
			if err != nil {
				return "", 0, nil, err
			}
			title := pc.Cycle.Name + "作战图(按片区汇总)"
			if u.ScopeName != "" {
				title = u.ScopeName + " · " + title
			}
			return districtMap(title, by, ds, n), n, ds, nil
		}
	}
	rows, err := db.ProgressRows(ctx, store.CommunityFilter{District: district})
	if err != nil {
		return "", 0, nil, err
	}
	if district != "" && len(rows) == 0 {
		return "", 0, nil, errs.OnField("district", "没有找到该片区,或该片区不在您的范围内")
	}
	var standings map[string]store.ElectionStanding
	if by == mapByElection {
		if standings, err = db.ElectionStandings(ctx, store.CommunityFilter{District: district}); err != nil {
			return "", 0, nil, err
		}
	}
	var districts []mapDistrict
	for _, r := range rows {
		if len(districts) == 0 || districts[len(districts)-1].Code != r.DistrictCode {
			districts = append(districts, mapDistrict{Code: r.DistrictCode, Name: r.DistrictName})
		}
		d := &districts[len(districts)-1]
		d.Communities = append(d.Communities, mapCommunity{Code: r.Code, Name: r.Name, Class: r.Class,
			Summary: pc.summary(r), Election: standings[r.Code]})
	}
	shapes, err := db.MapShapes(ctx)
	if err != nil {
		return "", 0, nil, err
	}
	title := pc.Cycle.Name + "作战图"
	if district != "" {
		title = rows[0].DistrictName + " · " + title
	} else if u.ScopeName != "" {
		title = u.ScopeName + " · " + title
	}
	title += map[string]string{mapByClass: "(按分类预警)", mapByProgress: "(按进度)", mapByElection: "(按选举)"}[by]
	return battleMap(title, by, districts, shapes), len(rows), nil, nil
}

func (s *Server) apiBattleMap(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	by, err := mapBy(r)
	if err != nil {
		return err
	}
	pc, err := s.progressContext(r.Context(), db)
	if err != nil {
		return err
	}
	svg, _, _, err := s.battleMapSVG(r.Context(), db, pc, by, r.URL.Query().Get("district"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	io.WriteString(w, svg)
	return nil
}

type mapView struct {
	By        string
	District  string // the district shown, "" for the whole scope
	Districts []store.DistrictClasses
	Map       template.HTML
	Count     int
	CanManage bool
}

// sizeHint is about the page's size: the map's (render.go).
func (v mapView) sizeHint() int { return len(v.Map) }

func (s *Server) mapView(ctx context.Context, db *store.Scoped, by, district string) (string, any, error) {
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return "", nil, err
	}
	svg, n, ds, err := s.battleMapSVG(ctx, db, pc, by, district)
	if err != nil {
		return "", nil, err
	}
	// The SVG is built from escaped text only (svgmap.go).
	v := mapView{By: by, District: district, Map: template.HTML(svg), Count: n, CanManage: db.Can(account.ManageProcess)}
	// The district select: the first 300 districts (the tiles lead to all).
	if ds != nil {
		v.Districts = ds[:min(len(ds), 300)]
	} else if v.Districts, err = db.ClassCountsByDistrict(ctx, 300); err != nil {
		return "", nil, err
	}
	return "map", v, nil
}

func (s *Server) mapPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	by, err := mapBy(r)
	if err != nil {
		return err
	}
	name, v, err := s.mapView(r.Context(), db, by, r.URL.Query().Get("district"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) saveShapes(ctx context.Context, db *store.Scoped, raw []byte) (int, error) {
	// A file upload's content is not checked at the edge: its text is, here.
	if err := checkJSON(raw); err != nil {
		return 0, err
	}
	shapes, err := progress.ParseGeoJSON(raw)
	if err != nil {
		return 0, err
	}
	err = db.Write(ctx, func(tx *store.Tx) error { return tx.SaveMapShapes(ctx, shapes) })
	return len(shapes), err
}

// shapesForm takes a GeoJSON file (multipart field "file") from the map page.
func (s *Server) shapesForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	err := parseUpload(w, r)
	var n int
	if err == nil && (r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0) {
		err = errs.OnField("file", "请选择 GeoJSON 文件")
	}
	if err == nil {
		var f io.ReadCloser
		if f, err = r.MultipartForm.File["file"][0].Open(); err == nil {
			var raw []byte
			raw, err = io.ReadAll(io.LimitReader(f, s.uploadLimit()+1))
			f.Close()
			if err == nil && int64(len(raw)) > s.uploadLimit() {
				err = errTooLarge(s.uploadLimit())
			}
			if err == nil {
				n, err = s.saveShapes(r.Context(), db, raw)
			}
		}
	}
	return s.endAction(w, r, db, err, 0, nil, "/map", "已保存 "+itoaInt(n)+" 个社区的边界。",
		func(ctx context.Context) (string, any, error) { return s.mapView(ctx, db, mapByClass, "") })
}

// apiSaveShapes takes a GeoJSON FeatureCollection as the body.
func (s *Server) apiSaveShapes(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.uploadLimit()))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge(s.uploadLimit())
	}
	if err != nil {
		return errs.Wrap(err, errs.Invalid, "GeoJSON 读取失败")
	}
	n, err := s.saveShapes(r.Context(), db, raw)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"communities": n})
	return nil
}
