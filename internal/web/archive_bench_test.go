package web_test

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
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
	if err := f.Sync(); err != nil { // on disk before the timing starts
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
				syscall.Sync() // the freed blocks' discard, outside the timing
				b.StartTimer()
			}
		})
	}
}

func BenchmarkArchiveUpload(b *testing.B) {
	st := plainDemo.db.Open(b, store.SQLite)
	s, dir := archiveSite(b, st, 512<<20) // the default limit, filestore.DefaultMaxSize
	tok := s.token("community1")
	addr := strings.TrimPrefix(s.ts.URL, "http://")
	for _, n := range benchSizes {
		b.Run(sizeName(n), func(b *testing.B) {
			src := benchSource(b, n)
			b.SetBytes(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if code := sendUpload(b, addr, tok, src, n); code != http.StatusCreated {
					b.Fatalf("upload: %d", code)
				}
				b.StopTimer()
				// Store the content afresh next time, as a new file would be.
				removeStored(b, dir)
				syscall.Sync()
				b.StartTimer()
			}
		})
	}
}

// sendUpload posts the file as a browser's form does: one multipart body
// with a Content-Length. The file's bytes go from the page cache to the
// socket in the kernel (sendfile), so that the client, which shares this
// machine's two CPUs with the server, costs little: in use it is another
// machine. It returns the response's status.
func sendUpload(b *testing.B, addr, tok, src string, size int64) int {
	const boundary = "huanjie-bench-boundary"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nmedia\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"大会录像.pdf\"\r\n" +
		"Content-Type: application/pdf\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	fmt.Fprintf(conn, "POST /api/v1/communities/QS-01-001/archive HTTP/1.1\r\nHost: %s\r\n"+
		"Authorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=%s\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n%s",
		addr, tok, boundary, int64(len(head))+size+int64(len(tail)), head)
	if _, err := io.Copy(conn, in); err != nil { // *net.TCPConn.ReadFrom: sendfile
		b.Fatal(err)
	}
	if _, err := io.WriteString(conn, tail); err != nil {
		b.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
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
