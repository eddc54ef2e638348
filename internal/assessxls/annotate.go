package assessxls

import (
	"io"

	"github.com/huanjie/huanjie/internal/xlsx"
)

// AnnotateMaxRows is the most data rows Annotate marks up. Annotate edits
// the uploaded workbook in place, which holds the whole sheet in memory
// (about 25 MB per 1,000 rows of a full template), so larger files get an
// error and the caller shows the list of RowErrors instead.
const AnnotateMaxRows = 20_000

// Annotate writes back the uploaded workbook (original, as uploaded) with
// the errors Read found, so the office can fix the file and upload it again
// (see xlsx.Annotation.Annotate): a last column "错误说明" on the assessment
// sheet holds each row's reasons, every bad cell is filled light red, the
// header cell holds the header's errors and how many rows' errors are not
// listed. A file with more than AnnotateMaxRows data rows is refused
// (unprocessable).
func Annotate(w io.Writer, original []byte, rowErrs Errors) error {
	a := xlsx.Annotation{Limits: limits(), Sheet: sheetAssess, Keys: sheetKeys, What: what, MaxRows: annotateMaxRows}
	return a.Annotate(w, original, rowErrs)
}
