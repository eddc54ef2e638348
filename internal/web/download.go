package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/huanjie/huanjie/internal/errs"
)

// stored is a file of the file store opened for a download, its content
// already checked whole against its SHA-256.
type stored struct {
	io.ReadCloser
	sha  string
	size int64
}

// openStored opens content sha of the file store for a download. A file
// that is gone or changed on disk is refused here, before anything is sent
// or audited, with a Conflict that says so in Chinese (never a 200 with the
// wrong bytes).
func (s *Server) openStored(sha string) (*stored, error) {
	if s.files == nil {
		return nil, errs.New(errs.NotFound, "没有找到该文件")
	}
	body, size, err := s.files.GetVerified(sha)
	if err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			s.log.Error("stored file gone or changed", "sha256", sha, "err", err)
		}
		return nil, err
	}
	return &stored{ReadCloser: body, sha: sha, size: size}, nil
}

// sendStored streams content sha of the file store as a download named
// name. The caller has authorised it and recorded it in the audit log.
func (s *Server) sendStored(w http.ResponseWriter, sha, typ, name string) error {
	body, err := s.openStored(sha)
	if err != nil {
		return err
	}
	defer body.Close()
	s.send(w, body, typ, name)
	return nil
}

// send streams an opened stored file as a download named name. A file
// altered on disk while it streams ends the response short of its
// Content-Length (the headers are gone by then), which every client
// reports; it is logged here.
func (s *Server) send(w http.ResponseWriter, body *stored, typ, name string) {
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Content-Length", strconv.FormatInt(body.size, 10))
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+body.sha+`"`)
	if _, err := io.Copy(w, body); err != nil {
		s.log.Error("download", "sha256", body.sha, "err", err)
	}
}
