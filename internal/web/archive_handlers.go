package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// maxArchiveFiles bounds the files of one upload request; each file is
// bounded by the file store's MaxSize.
const maxArchiveFiles = 20

// archiveView is a community's archive (归档) page.
type archiveView struct {
	Community  org.Unit
	Cycle      org.Cycle
	Groups     []archive.Group
	Count      int
	Total      int64
	Categories []archive.Category
	CanUpload  bool
	MaxSize    string
}

func (v archiveView) Title() string { return v.Community.Name + " 换届档案" }

// TotalLabel is the archive's size for people.
func (v archiveView) TotalLabel() string { return archive.HumanSize(v.Total) }

func (s *Server) archiveView(ctx context.Context, db *store.Scoped, code string) (archiveView, []archive.File, error) {
	u := db.User()
	unit, err := db.ArchiveCommunity(ctx, code)
	if err != nil {
		return archiveView{}, nil, err
	}
	cycle, err := db.Cycle(ctx)
	if err != nil {
		return archiveView{}, nil, err
	}
	files, err := db.ArchiveFiles(ctx, code)
	if err != nil {
		return archiveView{}, nil, err
	}
	v := archiveView{Community: unit, Cycle: cycle, Groups: archive.ByCategory(files), Count: len(files),
		Categories: archive.Categories, CanUpload: u.Can(account.UploadArchive) && s.files != nil}
	for _, f := range files {
		v.Total += f.Size
	}
	if s.files != nil {
		v.MaxSize = archive.HumanSize(s.files.MaxSize)
	}
	return v, files, nil
}

func (s *Server) archivePage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, _, err := s.archiveView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "archive", http.StatusOK, v)
	return nil
}

type archiveFileJSON struct {
	ID            int64  `json:"id"`
	SHA256        string `json:"sha256"`
	Name          string `json:"name"`
	Type          string `json:"type"`
	Size          int64  `json:"size"`
	Kind          string `json:"kind"`
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
	Note          string `json:"note"`
	UploadedBy    string `json:"uploaded_by"`
	UploadedAt    string `json:"uploaded_at"`
	URL           string `json:"url"`
}

func toArchiveFileJSON(f archive.File) archiveFileJSON {
	return archiveFileJSON{f.ID, f.SHA256, f.Name, f.Type, f.Size, string(f.Kind), string(f.Category), f.Category.Label(), f.Note,
		f.UploadedBy, f.UploadedAt.UTC().Format("2006-01-02T15:04:05Z"), "/api/v1/archive/" + f.SHA256}
}

func (s *Server) apiArchive(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, files, err := s.archiveView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	items := make([]archiveFileJSON, len(files))
	for i, f := range files {
		items[i] = toArchiveFileJSON(f)
	}
	cats := make([]map[string]string, len(archive.Categories))
	for i, c := range archive.Categories {
		cats[i] = map[string]string{"code": string(c), "label": c.Label()}
	}
	writeJSON(w, http.StatusOK, map[string]any{"community": v.Community.Code, "name": v.Community.Name, "cycle": v.Cycle.Code,
		"items": items, "count": v.Count, "size": v.Total, "categories": cats})
	return nil
}

// readArchiveUpload streams a multipart upload: every "file" part goes
// straight into the file store (never whole in memory, never into a
// temporary multipart file), "category" and "note" are kept. Stored content
// whose entry is then refused stays harmlessly: it is named by its hash and
// written once.
func (s *Server) readArchiveUpload(r *http.Request) ([]archive.File, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, errs.New(errs.Invalid, "请以表单上传文件,并选择分类")
	}
	// The multipart reader asks for 4 KB at a time; this buffer turns that
	// into one read of the connection per MiB instead of one per 4 KB.
	mr := multipart.NewReader(bufio.NewReaderSize(r.Body, 1<<20), params["boundary"])
	var files []archive.File
	var category archive.Category
	var note string
	var badCategory error
	r.PostForm = url.Values{} // what was typed, for the form that comes back refused
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errs.Wrap(err, errs.Invalid, "上传内容无法解析,请重试")
		}
		switch p.FormName() {
		case "file":
			if badCategory != nil {
				p.Close()
				return nil, badCategory
			}
			name := archive.CleanName(p.FileName())
			if name == "" {
				p.Close() // an empty file input of the page's form
				continue
			}
			if len(files) == maxArchiveFiles {
				p.Close()
				return nil, errs.OnField("file", "一次最多上传"+strconv.Itoa(maxArchiveFiles)+"个文件")
			}
			b, err := s.files.Put(p, name)
			p.Close()
			if err != nil {
				return nil, uploadField(errs.Wrap(err, errs.CodeOf(err), "文件“"+name+"”:"+errs.MessageOf(err)), "file")
			}
			files = append(files, archive.File{SHA256: b.SHA256, Name: name, Type: b.Type, Size: b.Size})
		case "category", "note":
			raw, err := io.ReadAll(io.LimitReader(p, 4<<10))
			p.Close()
			if err != nil {
				return nil, errs.Wrap(err, errs.Invalid, "上传内容无法解析,请重试")
			}
			if err := checkField(p.FormName(), string(raw)); err != nil { // input.go: not read there, streamed
				return nil, err
			}
			r.PostForm.Set(p.FormName(), string(raw))
			if p.FormName() == "note" {
				note = string(raw)
				continue
			}
			// Checked as soon as it arrives and refused at the first file: with
			// the page's field order no file is stored for a bad category, and
			// the note typed before the files comes back with the form.
			category, badCategory = archive.ParseCategory(string(raw))
		default:
			p.Close()
		}
	}
	if badCategory != nil {
		return nil, badCategory
	}
	if category == "" {
		_, err := archive.ParseCategory("")
		return nil, err
	}
	if len(files) == 0 {
		return nil, errs.OnField("file", "请选择要上传的文件")
	}
	for i := range files {
		files[i].Category, files[i].Note = category, note
	}
	return files, nil
}

// uploadArchive stores an upload and files it in the archive of the
// community in the path; the community is checked before the body is read.
func (s *Server) uploadArchive(r *http.Request, db *store.Scoped) ([]archive.File, error) {
	ctx := r.Context()
	code := r.PathValue("code")
	if _, err := db.ArchiveCommunity(ctx, code); err != nil {
		return nil, err
	}
	if s.files == nil {
		return nil, errs.New(errs.Unprocessable, "本服务未配置文件存储,不能上传档案")
	}
	files, err := s.readArchiveUpload(r)
	if err != nil {
		return nil, err
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		for i := range files {
			var err error
			if files[i], err = tx.AddArchiveFile(ctx, code, files[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return files, err
}

// uploadField names field, the one of the files, in an upload's refusal
// that names none.
func uploadField(err error, field string) error {
	if err == nil || errs.FieldOf(err) != "" || errs.CodeOf(err) == errs.Internal {
		return err
	}
	return &errs.Error{Code: errs.CodeOf(err), Message: errs.MessageOf(err), Field: field, Err: err}
}

// storedFile puts the first file of a multipart field into the file store:
// its SHA-256, "" when none was sent.
func (s *Server) storedFile(r *http.Request, field string) (string, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return "", nil
	}
	files, err := s.storeUploads(r.MultipartForm.File[field][:1])
	if err != nil {
		return "", uploadField(err, field)
	}
	return files[0].SHA256, nil
}

// tooLarge is err, of an upload over the file store's limit, as a 413 on
// the field file; the rest of the body is not read.
func tooLarge(w http.ResponseWriter, err error) error {
	if !errors.Is(err, filestore.ErrTooLarge) {
		return err
	}
	w.Header().Set("Connection", "close")
	return &errs.Error{Code: errs.TooLarge, Message: errs.MessageOf(err), Field: "file", Err: err}
}

// uploadArchiveFiles files an upload in the community's archive: the API
// answers the files, the form goes back to the archive.
func (s *Server) uploadArchiveFiles(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	code := r.PathValue("code")
	files, err := s.uploadArchive(r, db)
	err = tooLarge(w, err)
	var out any
	if err == nil {
		items := make([]archiveFileJSON, len(files))
		for i, f := range files {
			items[i] = toArchiveFileJSON(f)
		}
		out = map[string]any{"sha256": files[0].SHA256, "items": items}
	}
	return s.endAction(w, r, db, err, http.StatusCreated, out, archiveURL(code), "已归档 "+strconv.Itoa(len(files))+" 个文件。",
		func(ctx context.Context) (string, any, error) {
			v, _, err := s.archiveView(ctx, db, code)
			return "archive", v, err
		})
}

func archiveURL(code string) string { return "/communities/" + url.PathEscape(code) + "/archive" }

// archiveDownload streams an archived file. It is authorised by an archive
// entry with that content in a community in the user's scope (the same
// bytes filed elsewhere do not count), audited once per download, and
// hash-checked as it streams.
func (s *Server) archiveDownload(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	sha := r.PathValue("sha256")
	f, err := db.ArchiveFileInScope(ctx, sha)
	if err != nil {
		return err
	}
	body, err := s.openStored(sha) // a file gone or changed is refused before it is audited as downloaded
	if err != nil {
		return err
	}
	defer body.Close()
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, audit.ArchiveDownload, store.On("community", f.OrgCode, f.OrgCode), nil, audit.Fields{"sha256": sha, "name": f.Name, "size": f.Size})
	})
	if err != nil {
		return err
	}
	s.send(w, body, f.Type, f.Name)
	return nil
}

// contentDisposition names a download: an ASCII fallback for old clients
// and the real name in RFC 5987 / RFC 6266 form (filename*=UTF-8”…), where
// a space is %20, not +.
func contentDisposition(name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + rfc5987(name)
}

func rfc5987(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attr, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}
