// Package filestore keeps uploaded files (attachments, archive material) in
// a folder, named by the SHA-256 of their content: written once, never
// overwritten, streamed in and out without holding a file in memory, and
// checked against their name on every read.
package filestore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/errs"
)

// Store is a folder of content-addressed files.
type Store struct {
	dir     string
	MaxSize int64 // bytes; an upload over it is refused without filling the disk
}

// DefaultMaxSize fits a long meeting recording.
const DefaultMaxSize = 512 << 20

// Open returns the store in dir, creating it.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, err
	}
	return &Store{dir: dir, MaxSize: DefaultMaxSize}, nil
}

// Blob is a stored file.
type Blob struct {
	SHA256 string
	Size   int64
	Type   string // sniffed from the content
}

// Kind is the archive's coarse class of a type: 文字, 图表, 录音, 录像.
func (b Blob) Kind() string { return KindOf(b.Type) }

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum) }

// Put streams r into the store and returns what it holds. The content's type
// is sniffed, not taken from the name: executables and types not on the
// allowed list are refused, and so is a name whose extension claims another
// kind of content than the bytes hold (a renamed program).
func (s *Store) Put(r io.Reader, name string) (Blob, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-")
	if err != nil {
		return Blob{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	head := &headBuffer{max: 512}
	n, err := copyHashed(tmp, io.LimitReader(r, s.MaxSize+1), h, head)
	if err != nil {
		return Blob{}, errs.Wrap(err, errs.Unprocessable, "文件上传中断,请重试")
	}
	if n > s.MaxSize {
		e := errs.Newf(errs.Unprocessable, "文件超过%s的上限", archive.HumanSize(s.MaxSize))
		e.Err = ErrTooLarge
		return Blob{}, e
	}
	if n == 0 {
		return Blob{}, errs.New(errs.Unprocessable, "文件是空的")
	}
	typ, err := checkType(head.Bytes(), name)
	if err != nil {
		return Blob{}, err
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Type: typ}
	// On disk before the caller records it: an archive entry must never
	// point at content a power cut took away.
	if err := tmp.Sync(); err != nil {
		return Blob{}, err
	}
	if err := tmp.Close(); err != nil {
		return Blob{}, err
	}
	dst := s.path(b.SHA256)
	if _, err := os.Stat(dst); err == nil {
		return b, nil // the same content is stored already; never overwrite
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return Blob{}, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Blob{}, err
	}
	os.Chmod(dst, 0o440)
	return b, nil
}

// ErrTooLarge is in the chain of Put's error for content over MaxSize, so
// that callers can answer 413; its code stays Unprocessable.
var ErrTooLarge = errors.New("file over the size limit")

// ErrCorrupt reports a stored file whose content no longer matches its name.
var ErrCorrupt = errors.New("stored file does not match its SHA-256")

// ErrGone reports a stored file that a record names but the folder no
// longer holds.
var ErrGone = errors.New("stored file is missing")

// The answers to a download of a file that is gone or changed: a conflict
// between the records and the folder, which the office resolves from a
// backup; never a 200 with the wrong bytes.
var (
	errGone = &errs.Error{Code: errs.Conflict, Err: ErrGone,
		Message: "该文件已从档案库中丢失,不能下载。请管理员从备份恢复档案文件或重新上传,并用 huanjie archive verify 检查全部文件"}
	errChanged = &errs.Error{Code: errs.Conflict, Err: ErrCorrupt,
		Message: "该文件在档案库中已被改动(SHA-256 与登记时不符),为免交出不实的材料,已拒绝下载。请管理员从备份恢复该文件,并用 huanjie archive verify 检查全部文件"}
)

// Check reads the stored file sum whole and reports whether it is there and
// unchanged: nil, or a Conflict whose chain holds ErrGone or ErrCorrupt
// (NotFound for a malformed sum).
func (s *Store) Check(sum string) error {
	body, _, err := s.GetVerified(sum)
	if err != nil {
		return err
	}
	return body.Close()
}

// GetVerified opens a stored file for reading once its whole content has
// been checked against its name, so that a download can be refused before
// its status is sent: a Conflict with ErrGone in its chain for a file the
// folder no longer holds, with ErrCorrupt for one altered on disk. The
// reader checks again as it hands the content out, against a change made
// meanwhile.
func (s *Store) GetVerified(sum string) (io.ReadCloser, int64, error) {
	if !shaPattern.MatchString(sum) {
		return nil, 0, errs.New(errs.NotFound, "没有找到该文件")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, errGone
	}
	if err != nil {
		return nil, 0, err
	}
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err == nil && hex.EncodeToString(h.Sum(nil)) != sum {
		err = errChanged
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return &checked{f: f, h: sha256.New(), want: sum}, size, nil
}

// Get opens a stored file for reading. The reader hashes what it hands out
// and fails at the end with ErrCorrupt if the content was altered on disk.
func (s *Store) Get(sum string) (io.ReadCloser, int64, error) {
	if !shaPattern.MatchString(sum) {
		return nil, 0, errs.New(errs.NotFound, "没有找到该文件")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, errs.New(errs.NotFound, "没有找到该文件")
	}
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return &checked{f: f, h: sha256.New(), want: sum}, info.Size(), nil
}

type checked struct {
	f    *os.File
	h    hash.Hash
	want string
}

func (c *checked) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(c.h.Sum(nil)) != c.want {
		return n, fmt.Errorf("%w: %s", ErrCorrupt, c.want)
	}
	return n, err
}

func (c *checked) Close() error { return c.f.Close() }

// headBuffer keeps the first max bytes written to it.
type headBuffer struct {
	bytes.Buffer
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - h.Len(); room > 0 {
		h.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// fileType is a sniffed type we keep: what it is called and the
// extensions a name may have.
type fileType struct {
	label string
	exts  []string
}

// allowed maps each sniffed type we keep to what it is.
var allowed = map[string]fileType{
	"application/pdf":              {"PDF 文件", []string{".pdf"}},
	"image/jpeg":                   {"图片", []string{".jpg", ".jpeg"}},
	"image/png":                    {"图片", []string{".png"}},
	"image/gif":                    {"图片", []string{".gif"}},
	"image/webp":                   {"图片", []string{".webp"}},
	"image/bmp":                    {"图片", []string{".bmp"}},
	"audio/mpeg":                   {"录音", []string{".mp3"}},
	"audio/wave":                   {"录音", []string{".wav"}},
	"audio/aiff":                   {"录音", []string{".aif", ".aiff"}},
	"audio/amr":                    {"录音", []string{".amr"}},
	"application/ogg":              {"录音或录像", []string{".ogg", ".oga", ".ogv"}},
	"video/mp4":                    {"录像", []string{".mp4", ".m4a", ".m4v", ".mov"}},
	"video/webm":                   {"录像", []string{".webm"}},
	"video/avi":                    {"录像", []string{".avi"}},
	"application/zip":              {"文档或压缩包", []string{".zip", ".docx", ".xlsx", ".pptx", ".wps", ".et", ".dps"}}, // OOXML documents are zip files
	"application/x-ole-storage":    {"文档", []string{".doc", ".xls", ".ppt", ".wps", ".et", ".dps"}},
	"text/plain; charset=utf-8":    {"文本", []string{".txt", ".csv", ".md"}},
	"text/plain; charset=utf-16be": {"文本", []string{".txt"}},
	"text/plain; charset=utf-16le": {"文本", []string{".txt"}},
}

// TypeLabel is what a sniffed type is called on pages: 图片, PDF 文件…;
// 文件 for a type not kept.
func TypeLabel(typ string) string {
	if t, ok := allowed[typ]; ok {
		return t.label
	}
	return "文件"
}

// checkType sniffs head and checks it against the name's extension.
func checkType(head []byte, name string) (string, error) {
	if bytes.HasPrefix(head, []byte("MZ")) || bytes.HasPrefix(head, []byte("\x7fELF")) ||
		bytes.HasPrefix(head, []byte("#!")) || bytes.HasPrefix(head, []byte{0xcf, 0xfa, 0xed, 0xfe}) {
		return "", errs.New(errs.Unprocessable, "不能上传可执行程序")
	}
	typ := sniff(head)
	t, ok := allowed[typ]
	if !ok {
		return "", errs.New(errs.Unprocessable, "不支持的文件类型。可上传文档、表格、PDF、图片、录音和录像")
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range t.exts {
		if e == ext {
			return typ, nil
		}
	}
	return "", errs.Newf(errs.Unprocessable, "文件内容(%s)与扩展名“%s”不符,请检查文件", t.label, ext)
}

// sniff is http.DetectContentType plus the types it does not know.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}):
		return "application/x-ole-storage" // .doc .xls .ppt and WPS's own formats
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return "audio/amr"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return "video/mp4" // mp4, m4a, mov
	}
	return http.DetectContentType(head)
}

// KindOf sorts a sniffed type into the archive's four kinds (archive.KindOf).
func KindOf(typ string) string { return string(archive.KindOf(typ)) }
