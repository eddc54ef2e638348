package assessxls

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/xlsx/xlsxtest"
)

// FuzzRead: no upload makes Read or Annotate panic, and every refusal is a
// message for the user (unprocessable), never an internal error. The seeds
// in testdata/fuzz/FuzzRead run as part of the normal tests; run
// `go test ./internal/assessxls -run '^$' -fuzz FuzzRead -fuzztime 1m` to
// search further (not in CI).
func FuzzRead(f *testing.F) {
	known := map[string]bool{"C00001": true, "C00002": true}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, rowErrs, err := Read(bytes.NewReader(b), rubric, known, today)
		if err != nil {
			if errs.CodeOf(err) != errs.Unprocessable {
				t.Fatalf("Read: %v (code %s)", err, errs.CodeOf(err))
			}
			return
		}
		if len(rowErrs.List) > 1000 {
			t.Fatalf("%d errors listed", len(rowErrs.List))
		}
		if err := Annotate(io.Discard, b, rowErrs); err != nil && errs.CodeOf(err) != errs.Unprocessable {
			t.Fatalf("Annotate: %v", err)
		}
	})
}

// TestWriteFuzzSeeds writes the seed corpus of FuzzRead when
// HUANJIE_WRITE_SEEDS=1; the files are committed.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("HUANJIE_WRITE_SEEDS") == "" {
		t.Skip("set HUANJIE_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzRead")
	}
	cs := someCommunities(2)
	good := newTemplate(t, cs)
	good.fillRow(2)
	bad := newTemplate(t, cs)
	bad.fillRow(2)
	bad.fillRow(3)
	bad.set(3, "team_unity", 99)
	bad.set(2, "研判日期", "2027-01-01")
	header := []string{}
	for _, c := range fixedColumns {
		header = append(header, c.head)
	}
	for _, ind := range rubric {
		header = append(header, indicatorHeader(ind))
	}
	small, err := xlsxtest.Bomb(sheetAssess, header, []string{"C00001", "2026-03-01", "张三"}, 50, true)
	if err != nil {
		t.Fatal(err)
	}
	wide, err := xlsxtest.Workbook(sheetAssess, header, func(w io.Writer) error {
		_, err := io.WriteString(w, `<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row>`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	seeds := map[string][]byte{
		"template_good":     good.bytes(),
		"template_bad":      bad.bytes(),
		"template_nostyles": rezip(t, bad.bytes(), nil),
		"inline_no_styles":  small,
		"wide_and_far":      wide,
		"not_zip":           []byte("社区编码,研判日期\nC00001,2026-03-01\n"),
		"zip_header_only":   []byte("PK\x03\x04"),
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(b)))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
