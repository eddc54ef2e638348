package reviewxls

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/vetting"
	"github.com/huanjie/huanjie/internal/xlsx/xlsxtest"
)

// FuzzRead: no upload makes Read or Annotate panic, and every refusal is a
// message for the user (unprocessable). The seeds in testdata/fuzz/FuzzRead
// run with the normal tests; `go test ./internal/reviewxls -run '^$' -fuzz
// FuzzRead -fuzztime 1m` searches further (not in CI).
func FuzzRead(f *testing.F) {
	d, _ := vetting.DefaultDepartments().Find("gaj")
	owner := func(ids []int64) (map[int64]string, error) {
		m := map[int64]string{}
		for _, id := range ids {
			if id%2 == 0 {
				m[id] = "gaj"
			} else {
				m[id] = "mzj"
			}
		}
		return m, nil
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, rowErrs, err := Read(bytes.NewReader(b), d, vetting.DefaultCatalogue(), owner)
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
	d := gaj(t)
	var buf bytes.Buffer
	rows := []Row{{ID: 2, Name: "张三", Sex: "男", IDNumber: "990101198001010011", Community: "一社区", Deadline: "2026-11-30"},
		{ID: 3, Name: "李四", Sex: "女", IDNumber: "990101198001010020", Community: "一社区", Deadline: "2026-11-30"}}
	if err := Write(&buf, d, vetting.DefaultCatalogue(), rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue(sheetQueue, "G2", "有问题")
	f.SetCellValue(sheetQueue, "G3", "无异常")
	f.SetCellValue(sheetQueue, "H3", "受过刑事处罚(含正在服刑、缓刑、社区矫正)")
	var filled bytes.Buffer
	f.WriteTo(&filled)
	inline, err := xlsxtest.Bomb(sheetQueue, headers, []string{"2", "张三", "男", "x", "一社区", "2026-11-30", "有问题", "受过刑事处罚(含正在服刑、缓刑、社区矫正)", ""}, 30, true)
	if err != nil {
		t.Fatal(err)
	}
	seeds := map[string][]byte{
		"export":          buf.Bytes(),
		"filled_bad":      filled.Bytes(),
		"inline_nostyles": inline,
		"not_zip":         []byte("编号,结论\n2,无异常\n"),
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
