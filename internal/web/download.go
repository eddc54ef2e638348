package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/huanjie/huanjie/internal/errs"
)

// sendStored streams content sha of the file store as a download named
// name, hash-checked as it goes. The caller has authorised it and recorded
// it in the audit log. A file altered on disk ends the response short of
// its Content-Length (the headers are gone by then), which every client
// reports; it is logged here.
func (s *Server) sendStored(w http.ResponseWriter, sha, typ, name string) error {
	if s.files == nil {
		return errs.New(errs.NotFound, "没有找到该文件")
	}
	body, size, err := s.files.Get(sha)
	if err != nil {
		return err
	}
	defer body.Close()
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+sha+`"`)
	if _, err := io.Copy(w, body); err != nil {
		s.log.Error("download", "sha256", sha, "err", err)
	}
	return nil
}
