package web

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// storeUploads puts the files of a multipart field into the file store.
// Stored content that ends up unused stays harmlessly: it is named by its
// hash and written once.
func (s *Server) storeUploads(headers []*multipart.FileHeader) ([]assess.Attachment, error) {
	if len(headers) == 0 {
		return nil, nil
	}
	if s.files == nil {
		return nil, errs.New(errs.Unprocessable, "本服务未配置文件存储,不能上传附件")
	}
	var out []assess.Attachment
	for _, h := range headers {
		f, err := h.Open()
		if err != nil {
			return nil, errs.Wrap(err, errs.Unprocessable, "附件读取失败")
		}
		b, err := s.files.Put(f, h.Filename)
		f.Close()
		if err != nil {
			return nil, errs.Wrap(err, errs.CodeOf(err), "附件“"+h.Filename+"”:"+errs.MessageOf(err))
		}
		out = append(out, assess.Attachment{SHA256: b.SHA256, Name: h.Filename, Type: b.Type, Size: b.Size})
	}
	return out, nil
}

// parseUpload reads a multipart body. checkInput (input.go) has parsed it
// already, within the upload limit, and checked its text fields; this only
// reports a body that is no multipart one.
func parseUpload(_ http.ResponseWriter, r *http.Request) error {
	err := r.ParseMultipartForm(8 << 20)
	switch {
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		return errs.Wrap(err, errs.Invalid, "上传内容无法解析")
	}
	return nil
}

func (s *Server) attach(ctx context.Context, db *store.Scoped, assessmentID int64, files []assess.Attachment) ([]assess.Attachment, error) {
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i, f := range files {
			var err error
			if files[i], err = tx.AddAttachment(ctx, assessmentID, f); err != nil {
				return err
			}
		}
		return nil
	})
	return files, err
}

func (s *Server) apiAttach(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该研判记录")
	if err != nil {
		return err
	}
	if err := parseUpload(w, r); err != nil {
		return err
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return errs.OnField("file", "请选择要上传的附件")
	}
	files, err := s.storeUploads(r.MultipartForm.File["file"])
	if err != nil {
		return err
	}
	if files, err = s.attach(r.Context(), db, id, files); err != nil {
		return err
	}
	items := make([]map[string]any, len(files))
	for i, f := range files {
		items[i] = map[string]any{"id": f.ID, "sha256": f.SHA256, "name": f.Name, "type": f.Type, "size": f.Size}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": items})
	return nil
}

// attachmentDownload streams an attachment of a community in the user's
// scope, checking its hash as it goes; every download is audited.
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	sha := r.PathValue("sha256")
	a, code, err := db.AttachmentInScope(ctx, sha)
	if err != nil {
		return err
	}
	body, err := s.openStored(sha) // a file gone or changed is refused before it is audited as downloaded
	if err != nil {
		return err
	}
	defer body.Close()
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, audit.FileDownload, store.On("community", code, code), nil, audit.Fields{"sha256": sha, "name": a.Name})
	})
	if err != nil {
		return err
	}
	s.send(w, body, a.Type, a.Name)
	return nil
}
