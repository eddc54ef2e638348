package assessxls

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/xlsx/xlsxtest"
)

// fullWorkbook is a filled template of n communities as an office would
// upload it: every column, findings of about 100 characters, written by
// excelize's stream writer (shared strings are what Excel writes; the
// stream writer writes inline strings, which is larger unpacked).
func fullWorkbook(tb testing.TB, n int) ([]byte, map[string]bool) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheetAssess)
	sw, err := f.NewStreamWriter(sheetAssess)
	if err != nil {
		tb.Fatal(err)
	}
	header := []any{}
	for _, c := range fixedColumns {
		header = append(header, c.head)
	}
	for _, ind := range rubric {
		header = append(header, indicatorHeader(ind))
	}
	if err := sw.SetRow("A1", header); err != nil {
		tb.Fatal(err)
	}
	known := make(map[string]bool, n)
	findings := strings.Repeat("班子团结,群众基础较好,换届风险低。", 6)
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("C%06d", i+1)
		known[code] = true
		row := []any{code, fmt.Sprintf("第%d社区", i+1), "东片区", "2026-03-01", "党群部:张三、纪检监察:李四", findings}
		for _, ind := range rubric {
			if ind.Kind == assess.Score {
				row = append(row, ind.Max-i%3)
			} else {
				row = append(row, "否")
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), known
}

// bomb is about 0.9 MB: the template's header, then three cells repeated
// in 1.15 million rows (115 MB unpacked).
var bomb = sync.OnceValue(func() []byte {
	header := []string{}
	for _, c := range fixedColumns {
		header = append(header, c.head)
	}
	for _, ind := range rubric {
		header = append(header, indicatorHeader(ind))
	}
	b, err := xlsxtest.Bomb(sheetAssess, header, []string{"C000001", "2026-03-01", "张三"}, 1_150_000, false)
	if err != nil {
		panic(err)
	}
	return b
})

// peak runs f while sampling the heap in use, and returns the highest
// sample above the heap in use before.
func peak(f func()) (peakBytes uint64) {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > base && m.HeapInuse-base > peakBytes {
				peakBytes = m.HeapInuse - base
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peakBytes
}

// TestReadRefusesBomb: a 0.9 MB workbook of one row repeated 1.15 million
// times is refused before excelize unpacks it, allocating a few megabytes
// (it unpacked the sheet, then read it row by row into gigabytes).
func TestReadRefusesBomb(t *testing.T) {
	b := bomb()
	t.Logf("bomb: %d bytes", len(b))
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	_, rowErrs, err := Read(bytes.NewReader(b), rubric, map[string]bool{"C000001": true}, today)
	took := time.Since(start)
	runtime.ReadMemStats(&m1)
	if errs.CodeOf(err) != errs.Unprocessable || !strings.Contains(errs.MessageOf(err), "文件过大") || rowErrs.Total != 0 {
		t.Fatalf("Read: %v, %d errors; want 文件过大", err, rowErrs.Total)
	}
	alloc := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("refused in %v, %d bytes allocated: %s", took, alloc, errs.MessageOf(err))
	if alloc > 100<<20 {
		t.Errorf("refusing the bomb allocated %d MB", alloc>>20)
	}
}

// TestFullWorkbookWithinLimits: 100,000 real rows pass the limits, with
// room: the sizes and compression ratio are logged for the docs.
func TestFullWorkbookWithinLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 rows")
	}
	b, _ := fullWorkbook(t, 100_000)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > 1<<20 {
			t.Logf("%s: %d packed, %d unpacked, %.1f:1", f.Name, f.CompressedSize64, f.UncompressedSize64,
				float64(f.UncompressedSize64)/float64(f.CompressedSize64))
		}
	}
	t.Logf("file %d bytes, %d unpacked", len(b), total)
	if err := (func() error { _, e, err := Read(bytes.NewReader(b), rubric, nil, today); _ = e; return err })(); err != nil {
		t.Fatalf("Read refused 100,000 rows: %v", err)
	}
}

// BenchmarkReadBomb: uploading the 0.9 MB bomb is refused; B/op, and the
// heap's peak above where it started.
func BenchmarkReadBomb(b *testing.B) {
	file := bomb()
	known := map[string]bool{"C000001": true}
	b.ReportAllocs()
	b.ResetTimer()
	var top uint64
	for b.Loop() {
		p := peak(func() {
			if _, _, err := Read(bytes.NewReader(file), rubric, known, today); err == nil {
				b.Fatal("bomb accepted")
			}
		})
		top = max(top, p)
	}
	b.ReportMetric(float64(top)/(1<<20), "peak-MB")
}

var full100k = sync.OnceValues(func() ([]byte, map[string]bool) { return fullWorkbook(&testing.B{}, 100_000) })

// BenchmarkRead100000 imports a valid workbook of 100,000 communities.
func BenchmarkRead100000(b *testing.B) {
	file, known := full100k()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	b.ResetTimer()
	var top uint64
	for b.Loop() {
		p := peak(func() {
			got, rowErrs, err := Read(bytes.NewReader(file), rubric, known, today)
			if err != nil || rowErrs.Total > 0 || len(got) != 100_000 {
				b.Fatalf("Read: %d assessments, %d errors, %v", len(got), rowErrs.Total, err)
			}
		})
		top = max(top, p)
	}
	b.ReportMetric(float64(top)/(1<<20), "peak-MB")
}

// bareRows is the bare figure: excelize opens the file and streams its
// rows (f.Rows, Columns with raw values), doing nothing with them.
func bareRows(b *testing.B, file []byte) {
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(sheetAssess)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != 100_001 {
		b.Fatalf("%d rows", n)
	}
}

// BenchmarkExcelizeRows100000 is the bare figure on its own.
func BenchmarkExcelizeRows100000(b *testing.B) {
	file, _ := full100k()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	b.ResetTimer()
	var top uint64
	for b.Loop() {
		top = max(top, peak(func() { bareRows(b, file) }))
	}
	b.ReportMetric(float64(top)/(1<<20), "peak-MB")
}

// BenchmarkReadVsExcelize100000 times the import and the bare figure in
// turn, in each iteration, so that both see the same machine: on a shared
// machine separate benchmarks minutes apart are not comparable. It reports
// both in seconds and their ratio (the target is under 3).
func BenchmarkReadVsExcelize100000(b *testing.B) {
	file, known := full100k()
	var ours, bare time.Duration
	for b.Loop() {
		runtime.GC()
		t0 := time.Now()
		bareRows(b, file)
		bare += time.Since(t0)
		runtime.GC()
		t0 = time.Now()
		got, rowErrs, err := Read(bytes.NewReader(file), rubric, known, today)
		ours += time.Since(t0)
		if err != nil || rowErrs.Total > 0 || len(got) != 100_000 {
			b.Fatalf("Read: %d assessments, %d errors, %v", len(got), rowErrs.Total, err)
		}
	}
	b.ReportMetric(ours.Seconds()/float64(b.N), "import-s")
	b.ReportMetric(bare.Seconds()/float64(b.N), "excelize-s")
	b.ReportMetric(float64(ours)/float64(bare), "ratio")
}
