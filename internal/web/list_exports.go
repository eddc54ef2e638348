package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Excel out of the lists a user may see (issue 13, point 5): each export
// holds what its page lists under the same query string, every page of it,
// in the page's columns and order, read through the store's scope like the
// page; each is audited. A date is a date cell, the header stays in view
// (xlsx.Table).

// exportList audits act with the rows of a list and sends them as the
// workbook name, of one sheet.
func (s *Server) exportList(ctx context.Context, w http.ResponseWriter, db *store.Scoped, act *audit.Action, name string,
	cols []xlsx.Column, n int, row func(i int) []any) error {
	if err := s.auditExport(ctx, db, act, n); err != nil {
		return err
	}
	return sendXLSX(w, name+".xlsx", func(out io.Writer) error { return xlsx.Table(out, name, cols, n, row) })
}

// tooMany refuses an export of total rows over maxExport.
func tooMany(total int, unit string) error {
	if total <= maxExport {
		return nil
	}
	return errs.Newf(errs.Unprocessable, "共 %d %s,超过单次导出上限 %d %s,请筛选后导出", total, unit, maxExport, unit)
}

// userColumns are the users page's columns.
var userColumns = []xlsx.Column{{Head: "用户名", Width: 16}, {Head: "姓名", Width: 10}, {Head: "角色", Width: 14},
	{Head: "管辖范围", Width: 18}, {Head: "联审部门", Width: 16}, {Head: "状态", Width: 12}, {Head: "最近登录", Width: 20}}

// usersExport writes the accounts of the users page, those within the
// admin's scope.
func (s *Server) usersExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	list, err := db.ListUsers(ctx)
	if err != nil {
		return err
	}
	return s.exportList(ctx, w, db, audit.ExportUsers, "账号名单", userColumns, len(list), func(i int) []any {
		u := list[i]
		scope, state := u.ScopeName, "正常"
		if scope == "" {
			scope = "全部"
		}
		if u.Disabled {
			state = "停用"
		}
		if u.MustChangePassword {
			state += "(待改密)"
		}
		return []any{u.Username, u.DisplayName, u.Role.Label(), scope, u.DepartmentName, state, u.LastLoginAt}
	})
}

// tipColumns are the tips page's columns. The list holds nothing of the
// reporter: neither the contact nor the receipt.
var tipColumns = []xlsx.Column{{Head: "编号", Width: 8}, {Head: "提交日期", Width: 12}, {Head: "社区", Width: 18},
	{Head: "被举报人", Width: 16}, {Head: "类别", Width: 16}, {Head: "状态", Width: 10}, {Head: "移交", Width: 12},
	{Head: "关联案件", Width: 10}}

// tipsExport writes the tips of the tips page under its filter, at the
// user's desk (the police: those routed to them).
func (s *Server) tipsExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx, q := r.Context(), r.URL.Query()
	st := vetting.TipStatus(q.Get("status"))
	if st != "" && !st.Valid() {
		return errs.OnField("status", "未知的举报状态")
	}
	list, total, err := db.Tips(ctx, store.TipFilter{Status: st, OrgCode: q.Get("community"), Limit: maxExport})
	if err != nil {
		return err
	}
	if err := tooMany(total, "件"); err != nil {
		return err
	}
	return s.exportList(ctx, w, db, audit.ExportTips, "群众举报", tipColumns, len(list), func(i int) []any {
		t := list[i]
		person := t.Person
		if t.AspirantName != "" {
			person = t.AspirantName + "(参选人)"
		}
		return []any{t.ID, t.SubmittedOn, t.OrgName, person, t.CategoryLabel, t.StatusLabel, t.RouteLabel, caseNo(t.CaseID)}
	})
}

// caseNo is a case's number as a cell: none is an empty cell.
func caseNo(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// The cases page's columns: whole for those who handle cases, the outcomes
// only for the others, as the store returns them.
var (
	caseColumns = []xlsx.Column{{Head: "编号", Width: 8}, {Head: "社区", Width: 18}, {Head: "来源", Width: 12},
		{Head: "案情摘要", Width: 48, Wrap: true}, {Head: "关联参选人", Width: 20}, {Head: "阶段", Width: 10},
		{Head: "处理结果", Width: 16}}
	caseOutcomeColumns = []xlsx.Column{{Head: "编号", Width: 8}, {Head: "社区", Width: 18}, {Head: "涉及参选人", Width: 24},
		{Head: "处理结果", Width: 16}, {Head: "处理说明", Width: 48, Wrap: true}, {Head: "决定日期", Width: 12}}
)

// casesExport writes the cases of the cases page under its filter, as the
// user sees them there.
func (s *Server) casesExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx, q := r.Context(), r.URL.Query()
	full := db.Can(account.ManageCases)
	st := vetting.CaseStatus(q.Get("status"))
	if !full {
		st = "" // the stages are the investigation's
	}
	if st != "" && !st.Valid() {
		return errs.OnField("status", "未知的案件状态")
	}
	list, total, err := db.Cases(ctx, store.CaseFilter{Status: st, OrgCode: q.Get("community"), Limit: maxExport})
	if err != nil {
		return err
	}
	if err := tooMany(total, "件"); err != nil {
		return err
	}
	if !full {
		return s.exportList(ctx, w, db, audit.ExportCases, "案件处理结果", caseOutcomeColumns, len(list), func(i int) []any {
			c := list[i]
			names := make([]string, len(c.Aspirants))
			for j, a := range c.Aspirants {
				names[j] = a.Name + "(" + a.StatusLabel + ")"
			}
			return []any{c.ID, c.OrgName, strings.Join(names, "、"), c.OutcomeLabel, c.OutcomeNote, c.DecidedOn}
		})
	}
	return s.exportList(ctx, w, db, audit.ExportCases, "换届纪律案件", caseColumns, len(list), func(i int) []any {
		c := list[i]
		names := make([]string, len(c.Aspirants))
		for j, a := range c.Aspirants {
			names[j] = a.Name
		}
		return []any{c.ID, c.OrgName, c.SourceLabel, c.Summary, strings.Join(names, "、"), c.StatusLabel, c.OutcomeLabel}
	})
}

// decisionColumns: the second-review page's table (the meeting), then the
// aspirant and the decision under the labels of a meeting page's form.
var decisionColumns = []xlsx.Column{{Head: "日期", Width: 12}, {Head: "会议", Width: 18}, {Head: "纪要号", Width: 14},
	{Head: "参选人", Width: 10}, {Head: "社区", Width: 18}, {Head: "参选职务", Width: 22}, {Head: "审核结论", Width: 14},
	{Head: "所属情形", Width: 36, Wrap: true}, {Head: "关联案件编号", Width: 10}, {Head: "审核意见", Width: 36, Wrap: true},
	{Head: "谈话人", Width: 10}, {Head: "谈话日期", Width: 12}, {Head: "本人同意退出", Width: 10},
	{Head: "谈话情况", Width: 36, Wrap: true}, {Head: "记录人", Width: 10}, {Head: "记录时间", Width: 20}}

// decisionsExport writes the second review's decisions on the aspirants
// in scope: of every meeting (the second-review page's link), or of one
// (?meeting=, a meeting page's link, with its filter of aspirants).
func (s *Server) decisionsExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx, q := r.Context(), r.URL.Query()
	f := store.DecisionFilter{Aspirants: aspirantFilter(r)}
	if m := q.Get("meeting"); m != "" {
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			return errs.New(errs.NotFound, "没有找到该会议记录")
		}
		if _, err := db.Meeting(ctx, id); err != nil {
			return err
		}
		f.Meeting = id
	}
	list, err := db.Decisions(ctx, f)
	if err != nil {
		return err
	}
	if err := tooMany(len(list), "条"); err != nil {
		return err
	}
	cat := vetting.DefaultCatalogue()
	return s.exportList(ctx, w, db, audit.ExportDecisions, "二次审核决定", decisionColumns, len(list), func(i int) []any {
		d := list[i]
		cond := d.Condition
		if c, ok := cat.Find(cond); ok {
			cond = c.Label()
		}
		row := []any{d.Meeting.HeldOn, d.Meeting.Title, d.Meeting.DocNo, d.Aspirant.Name, d.Aspirant.OrgName,
			d.Aspirant.PostLabel(), d.Outcome.Label(), cond, caseNo(d.CaseID), d.Note, "", nil, "", ""}
		if p := d.Persuasion; p != nil {
			row[10], row[11], row[12], row[13] = p.By, p.On, yesNo(p.Withdrawn), p.Note
		}
		return append(row, actorName(d.By), d.At) // as the page names who recorded it: 平台 for the platform
	})
}

// yesNo is a flag as a cell says it.
func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
