package web

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// progressPageSize is how many communities a page of the progress table shows.
const progressPageSize = 100

// progressCtx is what every progress view computes states with.
type progressCtx struct {
	Cycle      org.Cycle
	Stages     []progress.Stage
	Custom     bool          // the office edited the templates
	Days       progress.Days // of a community without its own: the cycle's, or the defaults
	DefaultDay bool          // the cycle has no election days
	Today      civil.Date
}

func (s *Server) progressContext(ctx context.Context, db *store.Scoped) (progressCtx, error) {
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return progressCtx{}, err
	}
	pc := progressCtx{Cycle: cycle, Today: s.st.Today()}
	if pc.Stages, pc.Custom, err = db.ProgressStages(ctx); err != nil {
		return pc, err
	}
	if pc.Days, err = db.ProgressDays(ctx); err != nil {
		return pc, err
	}
	pc.DefaultDay = !cycle.ElectionDay.Valid()
	return pc, nil
}

// stageColumn is a column of the progress table.
type stageColumn struct {
	Code, Name, ElectionLabel string
	Election                  progress.Election
	Offset                    string // "选举日前47天"
}

func (pc progressCtx) columns() []stageColumn {
	out := make([]stageColumn, len(pc.Stages))
	for i, st := range pc.Stages {
		out[i] = stageColumn{st.Code, st.Name, st.Election.Label(), st.Election, offsetText(st.OffsetDays)}
	}
	return out
}

// progressCell is one community's stage. A vote stage whose election was
// declared void waits for its re-run (Rerun): it is shown late, not done,
// whatever its mark says, with the day it must be held again by.
type progressCell struct {
	Stage, StageName string
	State            progress.State
	DoneOn, Deadline civil.Date
	Rerun            *store.Rerun
}

// Badge is the cell's CSS class, from the classes app.css already has.
func (c progressCell) Badge() string {
	switch c.State {
	case progress.Done:
		return "badge w-none"
	case progress.Due:
		return "badge w-yellow"
	case progress.Late:
		return "badge w-red"
	}
	return "badge"
}

// Text is what the cell says: the day done, or the state.
func (c progressCell) Text() string {
	if c.Rerun != nil {
		return "待重选"
	}
	switch c.State {
	case progress.Done:
		return "✓" + string(c.DoneOn[5:])
	case progress.Due:
		return "临期"
	case progress.Late:
		return "逾期"
	}
	return "—"
}

// Label is the cell's state in words.
func (c progressCell) Label() string {
	if c.Rerun != nil {
		return "选举无效,须于" + c.Rerun.By.String() + "前重新选举"
	}
	return c.State.Label()
}

type progressRowView struct {
	store.ProgressRow
	Cells   []progressCell
	Summary progress.Summary
	Visits  visitsCell // the current round's household coverage (visit_feeds.go)
}

// done are the days r's stages were done, but a vote stage waiting for
// the re-run of a void election: that vote is not done, whatever its mark.
func done(r store.ProgressRow) map[string]civil.Date {
	if len(r.Reruns) == 0 {
		return r.Done
	}
	out := maps.Clone(r.Done)
	for code := range r.Reruns {
		delete(out, code)
	}
	return out
}

// summary counts r's stages by state.
func (pc progressCtx) summary(r store.ProgressRow) progress.Summary {
	return progress.Summarise(pc.Stages, r.Days, pc.Today, done(r))
}

func (pc progressCtx) row(r store.ProgressRow) progressRowView {
	v := progressRowView{ProgressRow: r, Cells: make([]progressCell, len(pc.Stages)), Summary: pc.summary(r)}
	done := done(r)
	for i, st := range pc.Stages {
		dl := st.Deadline(r.Days)
		c := progressCell{Stage: st.Code, StageName: st.Name, State: progress.StateOf(dl, pc.Today, done[st.Code]), DoneOn: done[st.Code],
			Deadline: dl}
		if rerun, ok := r.Reruns[st.Code]; ok {
			c.State, c.Rerun = progress.Late, &rerun
		}
		v.Cells[i] = c
	}
	return v
}

// progressFilter reads ?district=&class= as the classes pages do.
func progressFilter(q url.Values) (store.CommunityFilter, error) { return communityFilter(q) }

type progressView struct {
	progressCtx
	Columns   []stageColumn
	Rows      []progressRowView
	Filter    store.CommunityFilter
	Districts []store.DistrictClasses
	Pager     pager
	Query     string // the filter, encoded, for the export link
	CanEdit   bool
	CanManage bool
	Visits    progressVisits // the visits column, for readers of the visits
}

// Classes are the choices of the class filter ("-": unassessed).
func (progressView) Classes() []string { return []string{"A", "B", "C", "-"} }

// Paper prints the table across A4: its stages need the width (layout.Paper).
func (progressView) Paper() string { return "landscape" }

func (v progressView) TodayText() string { return v.Today.String() }

// offsetText says when a stage is due relative to its election's day.
func offsetText(days int) string {
	switch {
	case days < 0:
		return "选举日前" + strconv.Itoa(-days) + "天"
	case days > 0:
		return "选举日后" + strconv.Itoa(days) + "天"
	}
	return "选举日当天"
}

func (s *Server) progressPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	u := db.User()
	ctx := r.Context()
	f, err := progressFilter(r.URL.Query())
	if err != nil {
		return err
	}
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return err
	}
	v := progressView{progressCtx: pc, Columns: pc.columns(), Filter: f, CanEdit: u.Can(account.EditProgress),
		CanManage: u.Can(account.ManageProcess)}
	if v.Districts, err = db.ClassCountsByDistrict(ctx, 300); err != nil {
		return err
	}
	total, err := db.CountCommunities(ctx, f)
	if err != nil {
		return err
	}
	v.Pager = newPager(pageParam(r), total, progressPageSize)
	page := f
	page.Limit, page.Offset = progressPageSize, (v.Pager.Page-1)*progressPageSize
	rows, err := db.ProgressRows(ctx, page)
	if err != nil {
		return err
	}
	if v.Visits, err = progressVisitsOf(ctx, db, pc.Today, page); err != nil {
		return err
	}
	for _, row := range rows {
		rv := pc.row(row)
		rv.Visits = v.Visits.Of(row.Code)
		v.Rows = append(v.Rows, rv)
	}
	q := url.Values{}
	if f.Class != "" {
		q.Set("class", string(f.Class))
	}
	if f.District != "" {
		q.Set("district", f.District)
	}
	v.Query = q.Encode()
	v.Pager = v.Pager.Of(q, "个社区")
	s.render(w, r, "progress", http.StatusOK, v)
	return nil
}

type stageJSON struct {
	Code      string            `json:"code"`
	Name      string            `json:"name"`
	Election  progress.Election `json:"election"`
	Deadline  civil.Date        `json:"default_deadline"` // of a community without its own days
	Offset    int               `json:"offset_days"`
	DependsOn []string          `json:"depends_on"`
}

type cellJSON struct {
	State    progress.State `json:"state"`
	Deadline civil.Date     `json:"deadline"`
	DoneOn   civil.Date     `json:"done_on,omitempty"`
	RerunBy  civil.Date     `json:"rerun_by,omitempty"` // a void election's vote, to be held again by
}

type progressItemJSON struct {
	Code     string              `json:"code"`
	Name     string              `json:"name"`
	District string              `json:"district"`
	Class    assess.Class        `json:"class"`
	Done     int                 `json:"done"`
	Late     int                 `json:"late"`
	Stages   map[string]cellJSON `json:"stages"`
	Visits   *visitsJSON         `json:"visits,omitempty"` // the current round's household coverage, for readers of the visits
}

func (pc progressCtx) stagesJSON() []stageJSON {
	out := make([]stageJSON, len(pc.Stages))
	for i, st := range pc.Stages {
		deps := st.DependsOn
		if deps == nil {
			deps = []string{}
		}
		out[i] = stageJSON{st.Code, st.Name, st.Election, st.Deadline(pc.Days), st.OffsetDays, deps}
	}
	return out
}

// apiProgress answers GET /api/v1/progress?district=&class=&limit=&offset=:
// the stages with their deadlines and a page of communities (limit 1000 by
// default, at most 10000) with each stage's state.
func (s *Server) apiProgress(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	q := r.URL.Query()
	f, err := progressFilter(q)
	if err != nil {
		return err
	}
	limit, offset, err := apiPage(q)
	if err != nil {
		return err
	}
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return err
	}
	total, err := db.CountCommunities(ctx, f)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = limit, offset
	rows, err := db.ProgressRows(ctx, f)
	if err != nil {
		return err
	}
	visits, err := progressVisitsOf(ctx, db, pc.Today, f)
	if err != nil {
		return err
	}
	items := make([]progressItemJSON, len(rows))
	for i, row := range rows {
		v := pc.row(row)
		it := progressItemJSON{Code: row.Code, Name: row.Name, District: row.DistrictCode, Class: row.Class,
			Done: v.Summary.Done, Late: v.Summary.Late, Stages: make(map[string]cellJSON, len(v.Cells))}
		for _, c := range v.Cells {
			it.Stages[c.Stage] = cellJSON{State: c.State, Deadline: c.Deadline, DoneOn: c.DoneOn}
			if c.Rerun != nil {
				it.Stages[c.Stage] = cellJSON{State: c.State, Deadline: c.Deadline, RerunBy: c.Rerun.By}
			}
		}
		if visits.Shown {
			j := visits.Of(row.Code).json()
			it.Visits = &j
		}
		items[i] = it
	}
	out := map[string]any{"election_days": pc.Days,
		"election_days_default": pc.DefaultDay, "today": pc.Today, "due_within_days": progress.DueWithin,
		"stages": pc.stagesJSON(), "items": items, "total": total, "limit": limit, "offset": offset}
	if visits.Shown {
		out["visits_round"] = visits.Campaign
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// progressExport writes the progress table of the filter as Excel: one row
// per community, one column per stage, cells coloured like the page.
func (s *Server) progressExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	f, err := progressFilter(r.URL.Query())
	if err != nil {
		return err
	}
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return err
	}
	rows, err := db.ProgressRows(ctx, f)
	if err != nil {
		return err
	}
	visits, err := progressVisitsOf(ctx, db, pc.Today, f)
	if err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportProgress, len(rows)); err != nil {
		return err
	}
	return sendXLSX(w, "换届进度表.xlsx", func(out io.Writer) error { return writeProgressXLSX(out, pc, rows, visits) })
}

// writeProgressXLSX writes the table; the visits column (the percent of
// households reached, coloured as on the page) when visits.Shown.
func writeProgressXLSX(out io.Writer, pc progressCtx, rows []store.ProgressRow, visits progressVisits) error {
	const sheet = "换届进度表"
	f, err := xlsx.NewBook(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	style := func(fill string, bold, date bool) (int, error) {
		st := &excelize.Style{Border: xlsx.Border, Font: &excelize.Font{Bold: bold},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
		if fill != "" {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		}
		if date { // a done stage's day
			return xlsx.DateStyle(f, st, xlsx.DayFormat)
		}
		return f.NewStyle(st)
	}
	head, err := xlsx.HeaderStyle(f, "D9E1F2", true)
	if err != nil {
		return err
	}
	plain, err := style("", false, false)
	if err != nil {
		return err
	}
	fills := map[progress.State]int{}
	for st, c := range map[progress.State]string{progress.Done: "DAFBE1", progress.Due: "FFF8C5", progress.Late: "FFEBE9", progress.NotStarted: ""} {
		if fills[st], err = style(c, false, st == progress.Done); err != nil {
			return err
		}
	}
	widths := []float64{14, 14, 14, 14}
	title := []string{"社区编码", "社区", "片区", "类别"}
	for _, st := range pc.Stages {
		widths = append(widths, 13)
		title = append(title, st.Election.Label()+"\n"+st.Name+"\n"+offsetText(st.OffsetDays))
	}
	widths = append(widths, 13, 13)
	title = append(title, "已完成", "逾期")
	if visits.Shown {
		widths = append(widths, 16)
		title = append(title, strings.ReplaceAll(visits.Head(), " · ", "\n"))
	}
	visitFills := map[string]int{} // by the cell's badge: the percent as a number, coloured as on the page
	for badge, c := range map[string]string{"badge": "", "badge w-none": "DAFBE1", "badge w-yellow": "FFF8C5", "badge w-red": "FFEBE9"} {
		st := &excelize.Style{Border: xlsx.Border, NumFmt: 9, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}
		if c != "" {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
		}
		if visitFills[badge], err = f.NewStyle(st); err != nil {
			return err
		}
	}
	sw, err := xlsx.NewStream(f, sheet, len(rows)+1, widths, nil)
	if err != nil {
		return err
	}
	if err := sw.Panes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := sw.Header(head, title, excelize.RowOpts{Height: 48}); err != nil {
		return err
	}
	for _, row := range rows {
		v := pc.row(row)
		cells := []any{excelize.Cell{StyleID: plain, Value: row.Code}, excelize.Cell{StyleID: plain, Value: row.Name},
			excelize.Cell{StyleID: plain, Value: row.DistrictName}, excelize.Cell{StyleID: plain, Value: row.Class.Label()}}
		for _, c := range v.Cells {
			if c.State == progress.Done {
				cells = append(cells, xlsx.Day(c.DoneOn, fills[c.State]))
				continue
			}
			cells = append(cells, excelize.Cell{StyleID: fills[c.State], Value: c.Label()})
		}
		cells = append(cells, excelize.Cell{StyleID: plain, Value: v.Summary.Done}, excelize.Cell{StyleID: plain, Value: v.Summary.Late})
		if visits.Shown {
			c := visits.Of(row.Code)
			cell := excelize.Cell{StyleID: visitFills[c.Badge()], Value: c.Text()}
			if c.Households > 0 {
				cell.Value = float64(c.Percent) / 100
			}
			cells = append(cells, cell)
		}
		if err := sw.Row(cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xlsx.Write(out, f)
}

// stagesView is the stage templates page.
type stagesView struct {
	progressCtx
	Deps      map[string]string // code → the names of the stages it depends on, joined by ","
	CanManage bool              // the templates are the whole zone's: the unscoped office's
}

// Elections are the choices of a stage's election.
func (stagesView) Elections() []progress.Election {
	return []progress.Election{progress.Party, progress.Residents}
}

func (s *Server) stagesView(ctx context.Context, db *store.Scoped) (string, any, error) {
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return "", nil, err
	}
	v := stagesView{progressCtx: pc, Deps: map[string]string{}, CanManage: db.Can(account.ManageProcess) && db.ZoneWide()}
	names := map[string]string{}
	for _, st := range pc.Stages {
		names[st.Code] = st.Name
	}
	for _, st := range pc.Stages {
		deps := make([]string, len(st.DependsOn))
		for i, d := range st.DependsOn {
			deps[i] = names[d]
		}
		v.Deps[st.Code] = strings.Join(deps, ",")
	}
	return "progress_stages", v, nil
}

func (s *Server) stagesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.stagesView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

// stagesInput replaces the templates: the API's {"stages": [...]}, where an
// empty list puts the defaults back; the page's rows stages[N].code,
// .election, .name, .sort, .offset_days and .depends_on (codes separated by
// commas), a row without a name dropped, or reset for the defaults.
type stagesInput struct {
	Stages []progress.Stage `json:"stages"`
	rows   []int            // the page's row of each stage; nil on the API
}

func (in *stagesInput) readForm(v url.Values) error {
	if v.Get("reset") != "" {
		in.Stages = progress.Defaults()
		return nil
	}
	in.rows = []int{}
	for i := 0; v.Has(fmt.Sprintf("stages[%d].code", i)); i++ {
		at := func(k string) string { return strings.TrimSpace(v.Get(fmt.Sprintf("stages[%d].%s", i, k))) }
		if at("name") == "" {
			continue // cleared: the stage is removed
		}
		st := progress.Stage{Code: at("code"), Election: progress.Election(at("election")), Name: at("name"),
			DependsOn: strings.FieldsFunc(at("depends_on"), func(r rune) bool { return r == ',' || r == '，' || r == ' ' })}
		for k, n := range map[string]*int{"sort": &st.Sort, "offset_days": &st.OffsetDays} {
			var err error
			if *n, err = strconv.Atoi(at(k)); err != nil {
				return errs.OnField(fmt.Sprintf("stages[%d].%s", i, k), "第"+strconv.Itoa(i+1)+"行:顺序和期限须为整数")
			}
		}
		in.Stages, in.rows = append(in.Stages, st), append(in.rows, i)
	}
	return nil
}

func (s *Server) saveStages() handlerFunc {
	return act(s, action[stagesInput]{
		run: func(ctx context.Context, db *store.Scoped, in stagesInput) (any, error) {
			switch {
			case in.rows != nil: // the page's rows, none of them perhaps
			case in.Stages == nil:
				return nil, errs.OnField("stages", "请提供环节列表")
			case len(in.Stages) == 0:
				in.Stages = progress.Defaults()
			}
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.SaveProgressStages(ctx, in.Stages)
				return err
			})
			if err != nil {
				return nil, onRows(err, "stages", in.rows)
			}
			return s.stagesJSON(ctx, db)
		},
		next:   func(_ stagesInput, _ any) string { return "/progress/stages" },
		notice: "环节与期限已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ stagesInput) (string, any, error) {
			return s.stagesView(ctx, db)
		},
	})
}

func (s *Server) stagesJSON(ctx context.Context, db *store.Scoped) (map[string]any, error) {
	pc, err := s.progressContext(ctx, db)
	return map[string]any{"custom": pc.Custom, "election_days": pc.Days, "stages": pc.stagesJSON()}, err
}

func (s *Server) apiStages(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	j, err := s.stagesJSON(r.Context(), db)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// communityProgressView is one community's stages with their marks.
type communityProgressView struct {
	progressCtx
	Unit    org.Unit
	Row     progressRowView
	Marks   map[string]store.ProgressMark
	CanEdit bool
}

func (v communityProgressView) TodayText() string { return v.Today.String() }

func (s *Server) communityProgressView(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	unit, err := db.OrgByCode(ctx, code)
	if err != nil {
		return "", nil, err
	}
	if unit.Kind != org.Community {
		return "", nil, errs.New(errs.NotFound, "没有找到该社区")
	}
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return "", nil, err
	}
	row, marks, err := communityRow(ctx, db, code)
	if err != nil {
		return "", nil, err
	}
	row.Name = unit.Name
	v := communityProgressView{progressCtx: pc, Unit: unit, Row: pc.row(row), Marks: marks, CanEdit: db.Can(account.EditProgress)}
	return "progress_community", v, nil
}

func (s *Server) communityProgressPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.communityProgressView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

// communityRow is a community's row of the progress table, with its
// election days, and its marks.
func communityRow(ctx context.Context, db *store.Scoped, code string) (store.ProgressRow, map[string]store.ProgressMark, error) {
	marks, err := db.CommunityProgress(ctx, code)
	if err != nil {
		return store.ProgressRow{}, nil, err
	}
	rows, err := db.ProgressRows(ctx, store.CommunityFilter{Code: code})
	if err != nil {
		return store.ProgressRow{}, nil, err
	}
	if len(rows) == 0 {
		return store.ProgressRow{}, nil, errs.New(errs.NotFound, "没有找到该社区")
	}
	return rows[0], marks, nil
}

func communityProgressURL(code string) string {
	return "/communities/" + url.PathEscape(code) + "/progress"
}

func (s *Server) apiCommunityProgress(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	code := r.PathValue("code")
	pc, err := s.progressContext(ctx, db)
	if err != nil {
		return err
	}
	row, marks, err := communityRow(ctx, db, code)
	if err != nil {
		return err
	}
	v := pc.row(row)
	items := make([]map[string]any, len(v.Cells))
	for i, c := range v.Cells {
		m := marks[c.Stage]
		items[i] = map[string]any{"stage": c.Stage, "name": c.StageName, "deadline": c.Deadline, "state": c.State,
			"done_on": m.DoneOn, "evidence": m.Evidence, "attachment": m.Attachment, "marked_by": m.MarkedBy}
		if c.Rerun != nil {
			items[i]["rerun_by"], items[i]["void_reason"] = c.Rerun.By, c.Rerun.Reason
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "items": items})
	return nil
}

// markInput marks a community's stage done (a form, possibly multipart
// with a file in the field file, or JSON on the API) or undone.
type markInput struct {
	Community string     `json:"-" path:"code"`
	Stage     string     `json:"-" path:"stage"`
	DoneOn    civil.Date `json:"done_on"`
	Evidence  string     `json:"evidence"`
}

// markStage marks a stage done, with its evidence and an optional file put
// in the file store; the API answers the mark.
func (s *Server) markStage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	in := markInput{Community: r.PathValue("code"), Stage: r.PathValue("stage")}
	err := decodeUpload(w, r, &in)
	m := store.ProgressMark{OrgCode: in.Community, Stage: in.Stage, DoneOn: in.DoneOn, Evidence: in.Evidence}
	if err == nil {
		m.Attachment, err = s.storedFile(r, "file")
	}
	if err == nil {
		m, err = writeOne(ctx, db, func(tx *store.Tx) (store.ProgressMark, error) { return tx.MarkStage(ctx, m) })
	}
	return s.endAction(w, r, db, err, http.StatusOK, m, communityProgressURL(in.Community), "已标记完成。",
		func(ctx context.Context) (string, any, error) { return s.communityProgressView(ctx, db, in.Community) })
}

func (s *Server) unmarkStage() handlerFunc {
	return act(s, action[markInput]{
		run: func(ctx context.Context, db *store.Scoped, in markInput) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.UnmarkStage(ctx, in.Community, in.Stage) })
			return map[string]any{"code": in.Community, "stage": in.Stage, "state": "undone"}, err
		},
		next:   func(in markInput, _ any) string { return communityProgressURL(in.Community) },
		notice: "已撤销完成。",
		page: func(ctx context.Context, db *store.Scoped, in markInput) (string, any, error) {
			return s.communityProgressView(ctx, db, in.Community)
		},
	})
}
