package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Structure targets evaluated (issue 14, point 6): per community, each of
// the cycle's targets met or not and why, on the predicted slate; the
// zone's ratios against the targets' goals; the unity of the slate with
// the two recommendations. With stage=results the same targets are
// evaluated the same way (slate.Evaluate) on the elected members instead
// (issue 15, point 7), so the two stages compare.

const targetsPageSize = 100

// targetCount is how many communities meet one target.
type targetCount struct {
	Target slate.Target `json:"target"`
	Met    int          `json:"communities_met"`
	Of     int          `json:"communities"`
}

// Share is the share of communities meeting the target, a percentage.
func (c targetCount) Share() string { return slate.Percent(slate.Share(c.Met, c.Of)) }

type targetsView struct {
	Stage       string
	Counts      []targetCount
	Ratios      slate.Ratios
	United      int
	Posts       int
	Rows        []store.TargetRow
	Failing     int // communities whose slate fails a hard target
	All         bool
	District    string
	Districts   []store.DistrictClasses
	Pager       pager
	UnityShare  string
	WomenShare  string
	YoungShare  string
	CrossShare  string
	OneShoulder string
}

func (targetsView) Title() string { return "结构指标" }

// Results reports the stage of the election results.
func (v targetsView) Results() bool { return v.Stage == "results" }

// evalTargets reads the cycle's targets on every community in scope (of a
// district when set) and a page of rows: those failing a hard target
// unless all. Zone figures cover every community, whatever the page.
func (s *Server) evalTargets(ctx context.Context, db *store.Scoped, stage, district string, all bool, offset, limit int) (targetsView, error) {
	if stage == "" {
		stage = "predicted"
	}
	if stage != "predicted" && stage != "results" {
		return targetsView{}, errs.OnField("stage", "请选择按预判人选或按选举结果计算")
	}
	v := targetsView{Stage: stage, District: district, All: all}
	read := db.TargetsPage
	if stage == "results" {
		read = db.ResultTargetsPage
	}
	p, err := read(ctx, district, all, limit, offset)
	if err != nil {
		return v, err
	}
	v.Counts = make([]targetCount, len(p.Targets))
	for i, t := range p.Targets {
		v.Counts[i] = targetCount{Target: t, Met: p.Met[i], Of: p.Communities}
	}
	v.Ratios, v.United, v.Posts, v.Failing, v.Rows = p.Ratios, p.United, p.Posts, p.Failing, p.Rows
	v.UnityShare = slate.Percent(slate.Share(v.United, v.Posts))
	v.WomenShare, v.YoungShare = slate.Percent(v.Ratios.Women), slate.Percent(v.Ratios.Young)
	v.CrossShare, v.OneShoulder = slate.Percent(v.Ratios.Cross), slate.Percent(v.Ratios.OneShoulder)
	v.Pager = newPager(offset/max(limit, 1)+1, p.Total, limit)
	return v, nil
}

func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	page := pageParam(r)
	v, err := s.evalTargets(r.Context(), db, q.Get("stage"), q.Get("district"), q.Get("all") != "", (page-1)*targetsPageSize, targetsPageSize)
	if err != nil {
		return err
	}
	if v.Districts, err = db.ClassCountsByDistrict(r.Context(), 300); err != nil {
		return err
	}
	keep := url.Values{"district": {v.District}, "stage": {v.Stage}}
	if v.All {
		keep.Set("all", "1")
	}
	v.Pager = v.Pager.Of(keep, "个社区")
	s.render(w, r, "targets", http.StatusOK, v)
	return nil
}

// apiTargets answers GET /api/v1/targets?stage=predicted&district=&all=1&limit=&offset=:
// the zone's figures and, per community (those failing a hard target
// unless all), each target met or not and why.
func (s *Server) apiTargets(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	q := r.URL.Query()
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	v, err := s.evalTargets(r.Context(), db, q.Get("stage"), q.Get("district"), q.Get("all") != "", offset, limit)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(v.Rows))
	for i, row := range v.Rows {
		results := make([]map[string]any, len(row.Results))
		for j, x := range row.Results {
			results[j] = map[string]any{"name": x.Target.Name, "rule": x.Target.Rule, "text": x.Target.Text(), "hard": x.Target.Hard,
				"met": x.Met, "value": x.Value, "reason": x.Reason}
		}
		items[i] = map[string]any{"code": row.Code, "name": row.Name, "district": row.District, "targets": results,
			"united_posts": row.United, "posts": row.Posts}
	}
	writeJSON(w, http.StatusOK, map[string]any{"stage": v.Stage, "targets": v.Counts, "ratios": v.Ratios,
		"unity":   map[string]any{"united_posts": v.United, "posts": v.Posts, "share": slate.Share(v.United, v.Posts)},
		"failing": v.Failing, "items": items, "total": v.Pager.Total, "limit": limit, "offset": offset})
	return nil
}

// targetsExport writes the targets page's communities (the failing ones,
// or all with ?all=1; of a district with ?district=) as Excel: a column
// per target saying 达标 or why not.
func (s *Server) targetsExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	q := r.URL.Query()
	v, err := s.evalTargets(ctx, db, q.Get("stage"), q.Get("district"), q.Get("all") != "", 0, maxExport+1)
	if err != nil {
		return err
	}
	if err := tooMany(v.Pager.Total, "个社区"); err != nil {
		return err
	}
	cols := []xlsx.Column{{Head: "社区", Width: 16}, {Head: "片区", Width: 14}}
	for _, c := range v.Counts {
		cols = append(cols, xlsx.Column{Head: c.Target.Name + "(" + c.Target.Text() + ")", Width: 24})
	}
	cols = append(cols, xlsx.Column{Head: "两推一致职位", Width: 12})
	name := "结构指标"
	if v.Results() {
		name = "结构指标(选举结果)"
	}
	return s.exportList(ctx, w, db, audit.ExportTargets, name, cols, len(v.Rows), func(i int) []any {
		row := v.Rows[i]
		out := []any{row.Name, row.District}
		for _, x := range row.Results {
			if x.Met {
				out = append(out, "达标")
			} else {
				out = append(out, "未达标:"+x.Reason)
			}
		}
		return append(out, strconv.Itoa(row.United)+"/"+strconv.Itoa(row.Posts))
	})
}
