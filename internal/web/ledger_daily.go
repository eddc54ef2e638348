package web

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The daily views of the ledgers in the user's scope (日调度、日分析、
// 日销号), the history ("what was open on 3 March") and the Excel export.

const (
	ledgerPageSize = 100
	dailyShown     = 300 // notes and closings shown on the page; the JSON has all
)

// dayParam is the day asked for, today when none.
func (s *Server) dayParam(r *http.Request) (day, today civil.Date, err error) {
	today = s.st.Today()
	day = civil.Date(r.URL.Query().Get("day"))
	if day == "" {
		return today, today, nil
	}
	if !day.Valid() {
		return day, today, errs.OnField("day", "日期格式应为 2026-03-01")
	}
	return day, today, nil
}

// dailyView is the day's ledger work of the scope.
type dailyView struct {
	Day, Today    civil.Date
	Due           []ledger.Item // one page of the dispatch
	DueTotal      int
	Pager         pager
	Measures      []ledger.Item // plan measures due, at most dailyShown
	Notes         []store.DayNote
	NotesTotal    int
	Closings      []ledger.Item
	ClosingsTotal int
	Overdue       int // on this page
	Prev, Next    civil.Date
}

func (v dailyView) Title() string { return v.Day.String() + " 台账日调度" }

// dailyView reads the day's work; notes and closings at most listed (0: all).
func (s *Server) dailyView(ctx context.Context, db *store.Scoped, r *http.Request, listed int) (dailyView, error) {
	var v dailyView
	var err error
	if v.Day, v.Today, err = s.dayParam(r); err != nil {
		return v, err
	}
	page := pageParam(r)
	if v.Due, v.DueTotal, err = db.DueAndOverduePage(ctx, v.Day, (page-1)*ledgerPageSize, ledgerPageSize); err != nil {
		return v, err
	}
	if p := newPager(page, v.DueTotal, ledgerPageSize); p.Page != page { // past the last page
		if v.Due, _, err = db.DueAndOverduePage(ctx, v.Day, (p.Page-1)*ledgerPageSize, ledgerPageSize); err != nil {
			return v, err
		}
	}
	v.Pager = newPager(page, v.DueTotal, ledgerPageSize).Of(url.Values{"day": {r.URL.Query().Get("day")}}, "项")
	for _, it := range v.Due {
		if it.Due < v.Day {
			v.Overdue++
		}
	}
	if v.Measures, err = db.DueMeasures(ctx, v.Day, dailyShown); err != nil {
		return v, err
	}
	if v.Notes, v.NotesTotal, err = db.NotesOn(ctx, v.Day, listed); err != nil {
		return v, err
	}
	if v.Closings, v.ClosingsTotal, err = db.Closings(ctx, v.Day, listed); err != nil {
		return v, err
	}
	v.Prev, v.Next = v.Day.AddDays(-1), v.Day.AddDays(1)
	return v, nil
}

func (s *Server) ledgerTodayPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.dailyView(r.Context(), db, r, dailyShown)
	if err != nil {
		return err
	}
	s.render(w, r, "ledger_today", http.StatusOK, v)
	return nil
}

func (s *Server) apiLedgerDaily(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.dailyView(r.Context(), db, r, 0)
	if err != nil {
		return err
	}
	notes := make([]map[string]any, len(v.Notes))
	for i, n := range v.Notes {
		notes[i] = map[string]any{"item": toLedgerJSON(n.Item, v.Today), "day": n.Day, "note": n.Note.Note, "by": n.By}
	}
	writeJSON(w, http.StatusOK, map[string]any{"day": v.Day, "due": toLedgerList(v.Due, v.Day), "due_total": v.DueTotal,
		"page": v.Pager.Page, "pages": v.Pager.Pages, "measures": toLedgerList(v.Measures, v.Day), "notes": notes,
		"closings": toLedgerList(v.Closings, v.Day)})
	return nil
}

// onView is the ledgers of the scope as they stood on a day.
type onView struct {
	Day, Today civil.Date
	Community  string
	Items      []ledger.Item
	Total      int
	Pager      pager
}

func (v onView) Title() string { return v.Day.String() + " 台账状态" }

func (s *Server) onView(ctx context.Context, db *store.Scoped, r *http.Request) (onView, error) {
	var v onView
	var err error
	if v.Day, v.Today, err = s.dayParam(r); err != nil {
		return v, err
	}
	v.Community = r.URL.Query().Get("community")
	page := pageParam(r)
	if v.Items, v.Total, err = db.LedgerOn(ctx, v.Day, v.Community, (page-1)*ledgerPageSize, ledgerPageSize); err != nil {
		return v, err
	}
	v.Pager = newPager(page, v.Total, ledgerPageSize).Of(url.Values{"day": {v.Day.String()}, "community": {v.Community}}, "项")
	return v, nil
}

func (s *Server) ledgerOnPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.onView(r.Context(), db, r)
	if err != nil {
		return err
	}
	s.render(w, r, "ledger_on", http.StatusOK, v)
	return nil
}

func (s *Server) apiLedgerOn(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.onView(r.Context(), db, r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"day": v.Day, "community": v.Community, "items": toLedgerList(v.Items, v.Day),
		"total": v.Total, "page": v.Pager.Page, "pages": v.Pager.Pages})
	return nil
}

// ledgerColumns are the columns of the exported ledger.
var ledgerColumns = []string{"社区编码", "社区", "片区", "来源", "内容", "风险", "责任人", "包社区领导", "计划日", "每日进展", "状态", "销号时间", "销号依据"}

func (s *Server) ledgerExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.exportLedger(w, r, db, r.PathValue("code"))
}

// ledgerScopeExport exports the ledgers of the scope, or of the unit
// ?unit= in it (a district or a community).
func (s *Server) ledgerScopeExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	return s.exportLedger(w, r, db, r.URL.Query().Get("unit"))
}

func (s *Server) exportLedger(w http.ResponseWriter, r *http.Request, db *store.Scoped, code string) error {
	ctx := r.Context()
	items, err := db.LedgerExport(ctx, code)
	if err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportLedger, len(items)); err != nil {
		return err
	}
	name := "台账.xlsx"
	if code != "" {
		name = code + " 台账.xlsx"
	}
	return sendXLSX(w, name, func(out io.Writer) error { return writeLedgerXLSX(out, items) })
}

// writeLedgerXLSX writes the ledger with its columns, streaming rows.
func writeLedgerXLSX(out io.Writer, items []ledger.Item) error {
	const sheet = "台账"
	f, err := xlsx.NewBook(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	head, err := xlsx.HeaderStyle(f, "", false)
	if err != nil {
		return err
	}
	// Long text wraps (the daily notes are one line a day), dates are date cells.
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	top, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	day, err := xlsx.DateStyle(f, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}, xlsx.DayFormat)
	if err != nil {
		return err
	}
	sw, err := xlsx.NewStream(f, sheet, len(items)+1, []float64{12, 14, 12, 10, 40, 6, 10, 12, 12, 40, 8, 12, 40}, nil)
	if err != nil {
		return err
	}
	if err := sw.Header(head, ledgerColumns); err != nil {
		return err
	}
	for _, it := range items {
		cell := func(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }
		if err := sw.Row([]any{cell(top, it.OrgCode), cell(top, it.Community), cell(top, it.District), cell(top, it.Source.Label()),
			cell(wrap, xlsx.CellText(it.Content)), cell(top, it.Risk.Label()), cell(top, it.Owner), cell(top, it.Leader), xlsx.Day(it.Due, day),
			cell(wrap, xlsx.CellText(store.NotesText(it))), cell(top, it.Status.Label()), xlsx.Day(it.ClosedOn, day), cell(wrap, xlsx.CellText(it.ClosingNote))}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xlsx.Write(out, f)
}
