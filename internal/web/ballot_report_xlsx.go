package web

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// The report's workbook, filed into the archive (ballot_report.go): the
// page's three parts as three sheets with the page's Chinese headings,
// written from the same view.

// Its sheets, in order.
const (
	sheetReport   = "选举结果报告单"
	sheetTally    = "计票汇总"
	sheetElected  = "当选名单"
	reportColumns = 6 // the widest row of the report's sheet
)

// sheetWriter writes one sheet row by row.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

// line writes cells as the next row (a string as text, a *int as its
// number or an empty cell, an excelize.Cell as it is) and returns its number.
func (w *sheetWriter) line(cells ...any) int {
	w.row++
	if w.err != nil {
		return w.row
	}
	out := make([]any, len(cells))
	styles := map[int]int{}
	for i, c := range cells {
		switch c := c.(type) {
		case string:
			out[i] = xlsx.CellText(c)
		case *int:
			if c != nil {
				out[i] = *c
			} else {
				out[i] = nil
			}
		case excelize.Cell:
			out[i], styles[i] = c.Value, c.StyleID
		default:
			out[i] = c
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	w.err = w.f.SetSheetRow(w.sheet, cell, &out)
	for i, st := range styles {
		if w.err == nil {
			cell, _ := excelize.CoordinatesToCellName(i+1, w.row)
			w.err = w.f.SetCellStyle(w.sheet, cell, cell, st)
		}
	}
	return w.row
}

// styled sets style on the cells of row from column 1 to cols.
func (w *sheetWriter) styled(row, cols, style int) {
	if w.err != nil {
		return
	}
	from, _ := excelize.CoordinatesToCellName(1, row)
	to, _ := excelize.CoordinatesToCellName(cols, row)
	w.err = w.f.SetCellStyle(w.sheet, from, to, style)
}

// merge merges columns from to to of row.
func (w *sheetWriter) merge(row, from, to int) {
	if w.err != nil {
		return
	}
	a, _ := excelize.CoordinatesToCellName(from, row)
	b, _ := excelize.CoordinatesToCellName(to, row)
	w.err = w.f.MergeCell(w.sheet, a, b)
}

// widths sets the columns' widths and freezes the first row.
func (w *sheetWriter) widths(ws ...float64) {
	for i, x := range ws {
		if w.err == nil {
			col, _ := excelize.ColumnNumberToName(i + 1)
			w.err = w.f.SetColWidth(w.sheet, col, col, x)
		}
	}
	if w.err == nil {
		w.err = w.f.SetPanes(w.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
}

// writeBallotReport writes the report's workbook.
func writeBallotReport(out io.Writer, v reportView) error {
	f, err := xlsx.NewBook(sheetReport)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if err := fillBallotReport(f, v); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(out, f)
}

func fillBallotReport(f *excelize.File, v reportView) error {
	head, err := xlsx.HeaderStyle(f, "DDEBF7", true)
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	day, err := xlsx.DateStyle(f, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left"}}, xlsx.DayFormat)
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for _, sheet := range []string{sheetTally, sheetElected} {
		if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
	}
	b := v.B

	// 选举结果报告单.
	w := &sheetWriter{f: f, sheet: sheetReport}
	w.widths(16, 14, 12, 12, 12, 14)
	r := w.line(b.Name + " " + ballotTitle(b) + " 选举结果报告单")
	w.merge(r, 1, reportColumns)
	w.styled(r, reportColumns, title)
	r = w.line("投票日期", xlsx.Day(b.Day, day), "应选", SeatsText(b))
	w.merge(r, 4, reportColumns)
	w.line("应参加选举人数("+v.EligibleLabel()+")", v.EligibleCount(), "", "参加人数("+v.TookLabel()+")", v.TookCount())
	w.row++
	r = w.line("发出选票", "收回选票", "有效票", "无效票")
	w.styled(r, 4, head)
	var c election.Count
	if v.Figures != nil {
		c = *v.Figures
	}
	w.line(c.Issued, c.Returned, c.Valid, c.Invalid)
	w.row++
	r = w.line("职位", "姓名", "赞成", "不赞成", "弃权")
	w.styled(r, 5, head)
	for _, l := range v.Lines {
		w.line(l.Post.Label(), l.Name, l.Yes, l.No, l.Abstain)
	}
	w.row++
	r = w.line("另选他人", "", "")
	w.merge(r, 1, 3)
	w.styled(r, 3, head)
	r = w.line("职位", "姓名", "票数")
	w.styled(r, 3, head)
	for _, l := range v.WriteIns {
		w.line(l.Post.Label(), l.Name, l.Yes)
	}
	if len(v.WriteIns) == 0 {
		w.line("无")
	}
	w.row++
	r = w.line("选举结果")
	w.merge(r, 1, reportColumns)
	w.styled(r, reportColumns, head)
	for _, o := range v.Outcome {
		r = w.line(o.Label, o.Text())
		w.merge(r, 2, reportColumns)
		w.styled(r, reportColumns, wrap)
	}
	if len(v.Outcome) == 0 {
		w.line("计票结果尚未确认")
	}
	w.row++
	for _, row := range v.SignRows() {
		var cells []any
		for _, who := range row {
			cells = append(cells, who.Label+"(签名)", who.Names, "")
		}
		w.line(cells...)
	}
	w.line("日期", "    年    月    日")
	w.row++
	r = w.line(v.Mark)
	w.merge(r, 1, reportColumns)
	if w.err != nil {
		return w.err
	}

	// 计票汇总.
	w = &sheetWriter{f: f, sheet: sheetTally}
	ws := []float64{16, 10, 12, 12, 10, 10, 10, 10}
	for range b.Units {
		ws = append(ws, 12)
	}
	w.widths(ws...)
	r = w.line("计票点", "类型", "录入状态", "参加投票人数", "发出选票", "收回选票", "有效票", "无效票")
	w.styled(r, 8, head)
	for _, u := range b.Units {
		var x election.Count
		if u.Count != nil {
			x = *u.Count
		}
		w.line(u.Name, u.Kind.Label(), u.Status.Label(), x.Voted, x.Issued, x.Returned, x.Valid, x.Invalid)
	}
	if v.Figures != nil {
		w.line("合计", "", "", c.Voted, c.Issued, c.Returned, c.Valid, c.Invalid)
	} else {
		w.line("合计", "", "各计票点确认后合计")
	}
	w.row++
	heads := []any{"职位", "姓名"}
	for _, u := range b.Units {
		heads = append(heads, u.Name+"赞成")
	}
	heads = append(heads, "合计赞成", "合计不赞成", "合计弃权")
	r = w.line(heads...)
	w.styled(r, len(heads), head)
	for _, l := range append(v.Lines, v.WriteIns...) {
		name := l.Name
		if l.WriteIn {
			name = "另选他人:" + name
		}
		cells := []any{l.Post.Label(), name}
		for _, n := range l.Stations {
			cells = append(cells, n)
		}
		cells = append(cells, l.Yes, l.No, l.Abstain)
		w.line(cells...)
	}
	if w.err != nil {
		return w.err
	}

	// 当选名单.
	w = &sheetWriter{f: f, sheet: sheetElected}
	w.widths(10, 12, 6, 6, 14, 12, 8, 10, 10, 14, 16)
	r = w.line("职务", "姓名", "性别", "年龄", "文化程度", "政治面貌", "得票", "计票基数", "得票率", "当选轮次", "备注")
	w.styled(r, 11, head)
	for _, m := range v.Elected {
		note := ""
		switch {
		case m.Unanimous():
			note = "全票当选"
		case m.High():
			note = "高票当选"
		}
		if m.AspirantID == 0 {
			note += " 另选他人"
		}
		w.line(m.Post.Label(), m.Name, m.Sex, m.Age, m.Education.Label(), m.Party.Label(), m.Votes, m.Base,
			fmt.Sprintf("%.1f%%", m.Share()), m.Round.Label(), note)
	}
	if len(v.Elected) == 0 {
		w.line("尚无当选结果")
	}
	return w.err
}

// sheetVoid is the void decision's sheet, first in its workbook.
const sheetVoid = "选举无效决定"

// writeVoidNote writes the workbook filed when a confirmed ballot is
// declared void: the decision (who, when, why, the re-run day, what the
// confirmation had decided, the committee's members now) and the report
// as it now stands, in the report's three sheets.
func writeVoidNote(out io.Writer, v reportView) error {
	f, err := xlsx.NewBook(sheetVoid)
	if err != nil {
		return xlsx.Failed(err)
	}
	defer f.Close()
	if _, err := f.NewSheet(sheetReport); err != nil {
		return xlsx.Failed(err)
	}
	if err := fillVoidNote(f, v); err != nil {
		return xlsx.Failed(err)
	}
	if err := fillBallotReport(f, v); err != nil {
		return xlsx.Failed(err)
	}
	return xlsx.Write(out, f)
}

func fillVoidNote(f *excelize.File, v reportView) error {
	head, err := xlsx.HeaderStyle(f, "DDEBF7", true)
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	day, err := xlsx.DateStyle(f, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}, xlsx.DayFormat)
	if err != nil {
		return err
	}
	b := v.B
	w := &sheetWriter{f: f, sheet: sheetVoid}
	w.widths(18, 70)
	r := w.line("项目", "内容")
	w.styled(r, 2, head)
	decided := ""
	var now []string
	for _, o := range v.Outcome {
		if o.Superseded {
			decided += o.Label + ":" + o.Text() + "\n"
		}
	}
	for _, m := range v.Elected {
		now = append(now, m.Post.Label()+" "+m.Name)
	}
	members := "无,待重新选举"
	if len(now) > 0 {
		members = strings.Join(now, "、")
	}
	filed := "未归档"
	if v.File != nil {
		filed = "已归档:" + v.File.Name
	}
	for _, row := range [][2]any{
		{"社区", b.Name},
		{"委员会", b.Committee.Label()},
		{"投票", ballotTitle(b)},
		{"投票日期", xlsx.Day(b.Day, day)},
		{"计票结果", "已确认;确认时的选举结果报告单" + filed + ",原件保留在档案中"},
		{"宣布无效", v.VoidedAt() + ",由" + actorName(b.ClosedBy) + "登记"},
		{"无效理由", b.VoidReason},
		{"重新选举期限(此日前)", xlsx.Day(b.RerunBy, day)},
		{"确认时的判定(已不再有效)", strings.TrimSpace(decided)},
		{"宣布无效后" + b.Committee.Label() + "的当选人员", members},
	} {
		r = w.line(row[0], row[1])
		if _, isDay := row[1].(excelize.Cell); !isDay {
			w.styled(r, 2, wrap)
		}
	}
	w.row++
	w.line(v.Mark)
	return w.err
}
