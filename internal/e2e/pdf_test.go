package e2e

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// pdfPage is the size of one page of a PDF, in points, from its MediaBox.
type pdfPage struct{ W, H float64 }

var (
	pdfObjHead   = regexp.MustCompile(`(?:^|[\s>\]])(\d+)\s+(\d+)\s+obj\b`)
	pdfTypePage  = regexp.MustCompile(`/Type\s*/Page(?:[\s/>\[]|$)`)
	pdfTypeStm   = regexp.MustCompile(`/Type\s*/ObjStm\b`)
	pdfTypePages = regexp.MustCompile(`/Type\s*/Pages\b`)
	pdfMediaBox  = regexp.MustCompile(`/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]`)
	pdfParent    = regexp.MustCompile(`/Parent\s+(\d+)\s+\d+\s+R`)
	pdfKids      = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	pdfRef       = regexp.MustCompile(`(\d+)\s+\d+\s+R`)
	pdfFlate     = regexp.MustCompile(`/Filter\s*(?:\[\s*)?/FlateDecode\s*\]?`)
	pdfIntKey    = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s+(\d+)\b`) }
	pdfN, pdfFst = pdfIntKey("N"), pdfIntKey("First")
)

// pdfPages reads the pages of a PDF, in the order of its page tree, each
// with its MediaBox (its own or inherited from the tree). It reads the
// objects written as plain text and those packed in compressed object
// streams (/Type /ObjStm, FlateDecode), which PDF 1.5 writers may use.
func pdfPages(pdf []byte) ([]pdfPage, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, fmt.Errorf("not a PDF: starts %q", pdf[:min(len(pdf), 8)])
	}
	objs := map[int]string{} // object number → its dictionary (the text before any stream)
	for _, m := range pdfObjHead.FindAllSubmatchIndex(pdf, -1) {
		num, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		body := pdf[m[1]:]
		// The dictionary ends where the object or its stream begins.
		end := len(body)
		for _, kw := range []string{"endobj", "stream"} {
			if i := bytes.Index(body, []byte(kw)); i >= 0 && i < end {
				end = i
			}
		}
		dict := string(body[:end])
		objs[num] = dict
		if !pdfTypeStm.MatchString(dict) {
			continue
		}
		packed, err := pdfObjStm(dict, body[end:])
		if err != nil {
			return nil, fmt.Errorf("object stream %d: %w", num, err)
		}
		for n, o := range packed {
			objs[n] = o
		}
	}
	// Pages in tree order from the root of the tree (the Pages without a parent).
	var root = -1
	for n, o := range objs {
		if pdfTypePages.MatchString(o) && !pdfParent.MatchString(o) {
			root = n
		}
	}
	if root < 0 {
		return nil, fmt.Errorf("no page tree among %d objects", len(objs))
	}
	var pages []pdfPage
	var walk func(n int, box []float64, depth int) error
	walk = func(n int, box []float64, depth int) error {
		o, ok := objs[n]
		if !ok || depth > 32 {
			return fmt.Errorf("page tree node %d missing or too deep", n)
		}
		if m := pdfMediaBox.FindStringSubmatch(o); m != nil {
			box = make([]float64, 4)
			for i := range box {
				v, err := strconv.ParseFloat(m[i+1], 64)
				if err != nil {
					return fmt.Errorf("object %d: MediaBox %q: %w", n, m[0], err)
				}
				box[i] = v
			}
		}
		if pdfTypePages.MatchString(o) {
			kids := pdfKids.FindStringSubmatch(o)
			if kids == nil {
				return fmt.Errorf("pages node %d has no /Kids", n)
			}
			for _, r := range pdfRef.FindAllStringSubmatch(kids[1], -1) {
				k, _ := strconv.Atoi(r[1])
				if err := walk(k, box, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if !pdfTypePage.MatchString(o) {
			return fmt.Errorf("object %d in the page tree is no page: %.80q", n, o)
		}
		if box == nil {
			return fmt.Errorf("page %d has no MediaBox, nor inherits one", n)
		}
		pages = append(pages, pdfPage{W: box[2] - box[0], H: box[3] - box[1]})
		return nil
	}
	return pages, walk(root, nil, 0)
}

// pdfObjStm unpacks a compressed object stream: dict is its dictionary,
// rest what follows it ("stream", end of line, the deflated data…).
func pdfObjStm(dict string, rest []byte) (map[int]string, error) {
	if !pdfFlate.MatchString(dict) {
		return nil, fmt.Errorf("not FlateDecode: %.80q", dict)
	}
	i := bytes.Index(rest, []byte("stream"))
	if i < 0 {
		return nil, fmt.Errorf("no stream")
	}
	data := rest[i+len("stream"):]
	data = bytes.TrimPrefix(data, []byte("\r"))
	data = bytes.TrimPrefix(data, []byte("\n"))
	zr, err := zlib.NewReader(bytes.NewReader(data)) // reads to the end of the deflated data, not of rest
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	n, first := pdfN.FindStringSubmatch(dict), pdfFst.FindStringSubmatch(dict)
	if n == nil || first == nil {
		return nil, fmt.Errorf("no /N or /First: %.80q", dict)
	}
	count, _ := strconv.Atoi(n[1])
	start, _ := strconv.Atoi(first[1])
	if start > len(plain) {
		return nil, fmt.Errorf("/First %d past the %d bytes", start, len(plain))
	}
	head := bytes.Fields(plain[:start])
	if len(head) < 2*count {
		return nil, fmt.Errorf("%d numbers in the header, want %d", len(head), 2*count)
	}
	out := map[int]string{}
	for k := range count {
		num, err1 := strconv.Atoi(string(head[2*k]))
		off, err2 := strconv.Atoi(string(head[2*k+1]))
		if err1 != nil || err2 != nil || start+off > len(plain) {
			return nil, fmt.Errorf("bad header entry %d", k)
		}
		end := len(plain)
		if k+1 < count {
			if next, err := strconv.Atoi(string(head[2*k+3])); err == nil && start+next <= end && next >= off {
				end = start + next
			}
		}
		out[num] = string(plain[start+off : end])
	}
	return out, nil
}

// The reader finds the pages of plain and of packed PDFs, with their
// MediaBox their own or inherited, and refuses what is no PDF.
func TestPDFPages(t *testing.T) {
	plain := "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595 842] >>\nendobj\n" +
		"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox [0 0 842 595.28]>>\nendobj\n" +
		"4 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>\nendobj\n" +
		"5 0 obj\n<< /Length 6 >>\nstream\n/Type /Page /MediaBox [0 0 1 1]\nendstream\nendobj\n%%EOF\n"
	got, err := pdfPages([]byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	if want := []pdfPage{{842, 595.28}, {595, 842}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("plain PDF: pages %v, want %v", got, want)
	}

	// The same tree packed in a compressed object stream.
	objects := []string{
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 595.5 842 ] >>",
	}
	offsets := fmt.Sprintf("2 0 3 %d ", len(objects[0])+1)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	io.WriteString(zw, offsets+objects[0]+" "+objects[1])
	zw.Close()
	packed := fmt.Sprintf("%%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"+
		"6 0 obj\n<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n", len(offsets), z.Len()) +
		z.String() + "\nendstream\nendobj\n%%EOF\n"
	got, err = pdfPages([]byte(packed))
	if err != nil {
		t.Fatal(err)
	}
	if want := []pdfPage{{595.5, 842}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("packed PDF: pages %v, want %v", got, want)
	}

	if _, err := pdfPages([]byte("<html>")); err == nil {
		t.Error("an HTML page read as a PDF")
	}
	if _, err := pdfPages([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")); err == nil {
		t.Error("a PDF without a page tree read as having pages")
	}
}
