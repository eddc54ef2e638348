package assessxls

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Community is one row of the template: what the office pre-fills.
type Community struct{ Code, Name, District string }

// WriteTemplate writes the assessment template for the given communities:
// sheet "研判表" with the fixed columns 社区编码, 社区名称, 片区, 研判日期,
// 研判组成员 and 研判意见, one column per indicator in rubric order headed
// by its name and how it is answered, like "班子团结、履职尽责(0-10分)"
// (Read finds it by the name), and one row per community
// with code, name and district filled in; sheet "填写说明" explains every
// column and lists the indicators. Indicator cells carry Excel data
// validation (whole numbers 0..Max, or a 是/否 list) so most mistakes are
// caught while typing; Read checks everything again.
func WriteTemplate(w io.Writer, rubric assess.Rubric, communities []Community) error {
	if err := rubric.Validate(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetAssess); err != nil {
		return xlsx.Failed(err)
	}
	if err := writeAssessSheet(f, rubric, communities); err != nil {
		return xlsx.Failed(err)
	}
	if err := writeHelpSheet(f, rubric); err != nil {
		return xlsx.Failed(err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return xlsx.Failed(err)
	}
	return nil
}

func writeAssessSheet(f *excelize.File, rubric assess.Rubric, communities []Community) error {
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}
	nFixed := len(fixedColumns)
	widths := []float64{14, 18, 12, 14, 36, 40}
	styles := []int{st.text, 0, 0, st.date, st.text, st.wrap}
	for range rubric {
		widths = append(widths, 16)
		styles = append(styles, st.center) // column styles apply to the cells the office types into
	}
	sw, err := xlsx.NewStream(f, sheetAssess, len(communities)+1, widths, styles)
	if err != nil {
		return err
	}
	if err := sw.Panes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}

	header := make([]any, 0, nFixed+len(rubric))
	for _, c := range fixedColumns {
		header = append(header, excelize.Cell{StyleID: st.header, Value: c.head})
	}
	for _, ind := range rubric {
		style := st.headScore
		if ind.Kind == assess.Flag {
			style = st.headFlag
		}
		header = append(header, excelize.Cell{StyleID: style, Value: indicatorHeader(ind)})
	}
	if err := sw.Row(header, excelize.RowOpts{Height: 48}); err != nil {
		return err
	}
	for _, c := range communities {
		row := []any{
			excelize.Cell{StyleID: st.given, Value: c.Code},
			excelize.Cell{StyleID: st.given, Value: cellText(c.Name)},
			excelize.Cell{StyleID: st.given, Value: cellText(c.District)},
		}
		if err := sw.Row(row); err != nil {
			return err
		}
	}

	// Data validation belongs to the worksheet the stream writer flushes,
	// so it must be added before Flush. It covers the communities' rows
	// only: a range down to row 1,048,576 makes some readers (exceljs)
	// build a million cells per column and run out of memory.
	last := max(len(communities)+1, 2)
	for i, ind := range rubric {
		col, _ := excelize.ColumnNumberToName(nFixed + 1 + i)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, last))
		if ind.Kind == assess.Flag {
			if err := dv.SetDropList([]string{"是", "否"}); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", fmt.Sprintf("“%s”只能填“是”或“否”", ind.Name))
		} else {
			if err := dv.SetRange(0, ind.Max, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", fmt.Sprintf("“%s”的得分须在0到%d之间", ind.Name, ind.Max))
		}
		if err := f.AddDataValidation(sheetAssess, dv); err != nil {
			return err
		}
	}
	return sw.Flush()
}

type templateStyles struct {
	header, headScore, headFlag int // header cells
	given                       int // pre-filled code, name, district
	text, date, wrap, center    int // columns the office fills
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	border := xlsx.Border
	head := func(fill string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Border:    border,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}
	}
	dateFmt := "yyyy-mm-dd"
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.header, head("D9E1F2")},
		{&st.headScore, head("E2EFDA")},
		{&st.headFlag, head("FCE4D6")},
		{&st.given, &excelize.Style{NumFmt: 49, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}},
		{&st.text, &excelize.Style{NumFmt: 49}},
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&st.wrap, &excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.center, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// writeHelpSheet writes "填写说明": how to fill every column, and the rubric.
func writeHelpSheet(f *excelize.File, rubric assess.Rubric) error {
	if _, err := f.NewSheet(sheetHelp); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	row := 1
	put := func(style int, values ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(sheetHelp, cell, &values); err != nil {
			return err
		}
		end, _ := excelize.CoordinatesToCellName(max(len(values), 1), row)
		row++
		return f.SetCellStyle(sheetHelp, cell, end, style)
	}

	lines := [][]any{
		{"一、填写要求"},
		{"1", "每个社区一行。社区编码、社区名称、片区已由系统填好,请不要修改社区编码;不要修改第一行表头,列的顺序可以调整。"},
		{"2", "评分项填0到满分之间的整数;否决项填“是”或“否”(也可填1或0),不填视为“否”。"},
		{"3", "全部指标(评分项和否决项)都为空的行不导入,可以留待下次上传;只要填了任何一项指标(包括否决项填“否”),该行的研判日期、研判组成员和全部评分项都必须填写。"},
		{"4", "上传时系统检查整张表。只要有一处错误,整张表都不导入,并返回标注了错误的文件:出错的单元格标为浅红色,最后一列“错误说明”写明原因,改正后重新上传即可。"},
		{"5", fmt.Sprintf("每次上传不超过%d行。", MaxRows)},
	}
	if err := put(title, "社区换届研判表填写说明"); err != nil {
		return err
	}
	row++
	for i, l := range lines {
		style := wrap
		if i == 0 {
			style = bold
		}
		if err := put(style, l...); err != nil {
			return err
		}
	}
	row++
	if err := put(bold, "二、各列说明"); err != nil {
		return err
	}
	if err := put(bold, "列", "说明"); err != nil {
		return err
	}
	columns := [][]any{
		{headCode, "系统中的社区编码,已填好,用来识别社区,请勿修改。只能填写您有权研判的社区。"},
		{headName, "已填好,仅供核对。"},
		{headDistrict, "已填好,仅供核对。"},
		{headDate, "开展研判的日期,格式如 2026-03-01,不能晚于今天。"},
		{headAssessors, "研判组成员,每人写作“单位:姓名”或只写姓名,多人之间用“、”分隔,如“党群部:张三、纪检监察:李四”。单位可填:" + strings.Join(assess.AssessorUnits, "、") + "。"},
		{headFindings, "研判意见,可不填,不超过5000字。"},
		{"指标列", "每项指标一列,表头是指标名称,系统按名称识别,请勿修改名称(括号中的填写提示可以删去)。评分项填0到满分的整数,否决项填“是”或“否”。"},
	}
	for _, c := range columns {
		if err := put(wrap, c...); err != nil {
			return err
		}
	}
	row++
	if err := put(bold, "三、研判指标"); err != nil {
		return err
	}
	if err := put(bold, "维度", "指标名称", "类型", "满分或否决", "填写方法"); err != nil {
		return err
	}
	for _, ind := range rubric {
		limit, how := fmt.Sprintf("满分%d分", ind.Max), fmt.Sprintf("0到%d的整数", ind.Max)
		if ind.Kind == assess.Flag {
			limit, how = fmt.Sprintf("为“是”时至少定为%s类", ind.Veto), "是/否"
		}
		if err := put(wrap, ind.Dimension.Label(), ind.Name, kindLabel(ind.Kind), limit, how); err != nil {
			return err
		}
	}
	if err := put(wrap, "合计", fmt.Sprintf("评分项满分合计%d分", rubric.MaxTotal())); err != nil {
		return err
	}
	for i, wd := range []float64{26, 60, 10, 22, 16} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheetHelp, col, col, wd); err != nil {
			return err
		}
	}
	return nil
}
