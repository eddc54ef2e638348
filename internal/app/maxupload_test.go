package app_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/app"
)

// serve's --max-upload is the limit of every upload: a public tip's 1.5 MiB
// photo under --max-upload 1 answers 413 with a Chinese message naming the
// limit, before any handler stores it (finding 3 of issue 12).
func TestServeMaxUpload(t *testing.T) {
	dir := t.TempDir()
	cfg := app.Config{DB: "sqlite:" + filepath.Join(dir, "huanjie.db"), Addr: "127.0.0.1:0", DataDir: dir, MaxMiB: 1}
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := startServe(t, ctx, cfg, false, io.Discard)
	defer func() {
		cancel()
		<-done
	}()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("description", "该参选人长期不在社区居住,不符合条件。")
	w, _ := mw.CreateFormFile("files", "photo.jpg")
	w.Write(append([]byte("\xff\xd8\xff\xe0"), make([]byte, 3<<19)...))
	mw.Close()
	res, err := http.Post("http://"+addr+"/tip", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), "1MB的上限") {
		t.Fatalf("1.5 MiB photo under --max-upload 1: %d %.300s", res.StatusCode, raw)
	}
}
