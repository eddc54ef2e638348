package web

import (
	"io"
	"net/http"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// maxExport is the most rows one export of a list holds; a larger list is
// narrowed by the page's filters first.
const maxExport = 100_000

// aspirantColumns are the aspirants page's columns, in its order.
var aspirantColumns = []xlsx.Column{{Head: "姓名", Width: 10}, {Head: "社区", Width: 18}, {Head: "性别", Width: 6},
	{Head: "年龄", Width: 6}, {Head: "身份证号码", Width: 22, Text: true}, {Head: "政治面貌", Width: 12},
	{Head: "参选职务", Width: 22}, {Head: "状态", Width: 12}}

// aspirantsExport writes the aspirants the page lists under the same
// filter (the page's link carries it), every page of them, with ID numbers masked as the page shows
// them; the export is audited.
func (s *Server) aspirantsExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	f := aspirantFilter(r) // as the page reads it: a filter that matches nothing exports no one
	n, err := db.CountAspirants(ctx, f)
	if err != nil {
		return err
	}
	if n > maxExport {
		return errs.Newf(errs.Unprocessable, "共 %d 人,超过单次导出上限 %d 人,请按社区或状态筛选后导出", n, maxExport)
	}
	list, err := db.Aspirants(ctx, f)
	if err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportAspirants, len(list)); err != nil {
		return err
	}
	return sendXLSX(w, "自荐参选人.xlsx", func(out io.Writer) error {
		return xlsx.Table(out, "自荐参选人", aspirantColumns, len(list), func(i int) []any {
			a := list[i]
			return []any{a.Name, a.OrgName, a.Sex, a.Age, a.IDNumber, a.Party.Label(), a.PostLabel(), a.StatusLabel}
		})
	})
}
