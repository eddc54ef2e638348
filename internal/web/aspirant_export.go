package web

import (
	"io"
	"net/http"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// maxAspirantExport is the most aspirants one export holds; a larger list
// is narrowed by the page's filters first.
const maxAspirantExport = 100_000

// aspirantColumns are the aspirants page's columns, in its order.
var aspirantColumns = []string{"姓名", "社区", "性别", "年龄", "身份证号码", "政治面貌", "参选职务", "状态"}

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
	if n > maxAspirantExport {
		return errs.Newf(errs.Unprocessable, "共 %d 人,超过单次导出上限 %d 人,请按社区或状态筛选后导出", n, maxAspirantExport)
	}
	list, err := db.Aspirants(ctx, f)
	if err != nil {
		return err
	}
	if err := s.auditExport(ctx, db, audit.ExportAspirants, len(list)); err != nil {
		return err
	}
	return sendXLSX(w, "自荐参选人.xlsx", func(out io.Writer) error { return writeAspirantsXLSX(out, list) })
}

func writeAspirantsXLSX(out io.Writer, list []store.AspirantRow) error {
	const sheet = "自荐参选人"
	f, err := xlsx.NewBook(sheet)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	head, err := xlsx.HeaderStyle(f, "DDEBF7", false)
	if err != nil {
		return xlsx.Failed(err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // the masked number stays text
	if err != nil {
		return xlsx.Failed(err)
	}
	sw, err := xlsx.NewStream(f, sheet, len(list)+1, []float64{10, 18, 6, 6, 22, 12, 22, 12}, nil)
	if err != nil {
		return xlsx.Failed(err)
	}
	if err := sw.Panes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return xlsx.Failed(err)
	}
	if err := sw.Header(head, aspirantColumns); err != nil {
		return xlsx.Failed(err)
	}
	for _, a := range list {
		post := a.Committee.Label() + a.Post.Label()
		if a.CrossPost != "" {
			post += "、" + a.CrossPost.Label()
		}
		if err := sw.Row([]any{xlsx.CellText(a.Name), xlsx.CellText(a.OrgName), a.Sex, a.Age,
			excelize.Cell{StyleID: text, Value: a.IDNumber}, a.Party.Label(), post, a.StatusLabel}); err != nil {
			return xlsx.Failed(err)
		}
	}
	if err := sw.Flush(); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(out, f)
}
