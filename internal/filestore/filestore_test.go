package filestore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/huanjie/huanjie/internal/errs"
)

var pdf = []byte("%PDF-1.7\n1 0 obj << >> endobj\ntrailer\n%%EOF\n")

func TestPutGet(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(bytes.NewReader(pdf), "会议纪要.PDF")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	if b.SHA256 != hex.EncodeToString(sum[:]) || b.Size != int64(len(pdf)) || b.Type != "application/pdf" || b.Kind() != "文字" {
		t.Fatalf("blob %+v", b)
	}
	again, err := s.Put(bytes.NewReader(pdf), "copy.pdf")
	if err != nil || again != b {
		t.Fatalf("same content again: %+v %v", again, err)
	}
	r, size, err := s.Get(b.SHA256)
	if err != nil || size != b.Size {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("read back: %v", err)
	}
	// Altered on disk: the read fails at the end.
	p := s.path(b.SHA256)
	os.Chmod(p, 0o640)
	os.WriteFile(p, append([]byte("%PDF-1.7 changed"), pdf[16:]...), 0o640)
	r, _, _ = s.Get(b.SHA256)
	if _, err := io.ReadAll(r); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("altered file read: %v", err)
	}
	if _, _, err := s.Get("../../etc/passwd"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("bad name: %v", err)
	}
	if _, _, err := s.Get(strings.Repeat("a", 64)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestPutRefuses(t *testing.T) {
	s, _ := Open(t.TempDir())
	s.MaxSize = 1024
	cases := map[string]struct {
		body []byte
		name string
	}{
		"renamed program": {append([]byte("MZ\x90\x00"), make([]byte, 100)...), "photo.jpg"},
		"elf":             {[]byte("\x7fELF\x02\x01\x01"), "a.pdf"},
		"wrong extension": {pdf, "photo.jpg"},
		"html":            {[]byte("<html><script>alert(1)</script></html>"), "a.html"},
		"empty":           {nil, "a.txt"},
		"too big":         {append(append([]byte{}, pdf...), make([]byte, 2048)...), "big.pdf"},
	}
	for name, c := range cases {
		if _, err := s.Put(bytes.NewReader(c.body), c.name); !errs.Is(err, errs.Unprocessable) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.Put(bytes.NewReader(make([]byte, 2048)), "big.txt"); !errors.Is(err, ErrTooLarge) || !strings.Contains(errs.MessageOf(err), "超过1 KB的上限") {
		t.Errorf("too big: %v, want ErrTooLarge in the chain and the limit in the message", err)
	}
	if _, err := s.Put(bytes.NewReader(pdf), "photo.jpg"); errors.Is(err, ErrTooLarge) {
		t.Error("a refused type reads as too large")
	}
	left, _ := os.ReadDir(s.dir + "/tmp")
	if len(left) != 0 {
		t.Fatalf("refused uploads left %d temporary files", len(left))
	}
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, make([]byte, 50)...)
	if b, err := s.Put(bytes.NewReader(jpeg), "现场.JPG"); err != nil || b.Kind() != "图表" {
		t.Fatalf("jpeg: %+v %v", b, err)
	}
}

// Every type kept has a name in Chinese for the pages (TypeLabel); the
// only Latin letters allowed are a format's own name, PDF.
func TestEveryTypeHasALabel(t *testing.T) {
	latin := func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }
	for typ := range allowed {
		l := TypeLabel(typ)
		if !strings.ContainsFunc(l, func(r rune) bool { return unicode.Is(unicode.Han, r) }) ||
			strings.ContainsFunc(strings.ReplaceAll(l, "PDF", ""), latin) {
			t.Errorf("%s is named %q", typ, l)
		}
	}
	if TypeLabel("application/x-msdownload") != "文件" {
		t.Error("a type not kept is not named 文件")
	}
}
