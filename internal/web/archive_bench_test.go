package web_test

import (
	"crypto/rand"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// Upload throughput of the archive against copying the same file on disk
// (docs/performance.md, "Three ones: archive"). Both sides read the source
// file, write a new file on the same disk and fsync it, as the file store
// does; the upload adds HTTP, multipart parsing, SHA-256, type sniffing and
// the database row.
//
//	go test ./internal/web -run '^$' -bench 'ArchiveUpload|DiskCopy' -benchtime 5x
var benchSizes = []int64{64 << 20, 512 << 20}

// benchSource writes a file of n random bytes behind a PDF header (the
// file store refuses unknown types).
func benchSource(b *testing.B, n int64) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "source.pdf")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	f.WriteString("%PDF-1.7\n")
	if _, err := io.CopyN(f, rand.Reader, n-9); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

func sizeName(n int64) string { return strconv.FormatInt(n>>20, 10) + "MiB" }

func BenchmarkDiskCopy(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			src, dir := benchSource(b, n), b.TempDir()
			b.SetBytes(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in, err := os.Open(src)
				if err != nil {
					b.Fatal(err)
				}
				out, err := os.Create(filepath.Join(dir, "copy"))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(out, in); err != nil {
					b.Fatal(err)
				}
				if err := out.Sync(); err != nil {
					b.Fatal(err)
				}
				out.Close()
				in.Close()
				b.StopTimer()
				os.Remove(filepath.Join(dir, "copy"))
				b.StartTimer()
			}
		})
	}
}

func BenchmarkArchiveUpload(b *testing.B) {
	st := testdb.Open(b, store.SQLite)
	s, dir := archiveSite(b, st, 512<<20) // the default limit, filestore.DefaultMaxSize
	tok := s.token("community1")
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			src := benchSource(b, n)
			b.SetBytes(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in, err := os.Open(src)
				if err != nil {
					b.Fatal(err)
				}
				pr, pw := io.Pipe()
				mw := multipart.NewWriter(pw)
				go func() {
					mw.WriteField("category", "media")
					part, _ := mw.CreateFormFile("file", "大会录像.pdf")
					_, err := io.Copy(part, in)
					if err == nil {
						err = mw.Close()
					}
					pw.CloseWithError(err)
				}()
				req, _ := http.NewRequest("POST", s.ts.URL+"/api/v1/communities/QS-01-001/archive", pr)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				in.Close()
				if res.StatusCode != http.StatusCreated {
					b.Fatalf("upload: %d", res.StatusCode)
				}
				b.StopTimer()
				// Store the content afresh next time, as a new file would be.
				removeStored(b, dir)
				b.StartTimer()
			}
		})
	}
}

func removeStored(b *testing.B, dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "tmp" {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				b.Fatal(err)
			}
		}
	}
}
