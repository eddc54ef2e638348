package web

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"mime/multipart"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// A public tip's files must not tell when, where or on what they were made:
// a photo's EXIF block holds the moment it was taken, often the place and
// the phone; its file name often holds the moment too (IMG_20261127_143210).
// So a tip's JPEG and PNG photos lose their metadata (stripTipImage), every
// file is stored under a neutral name (附件1.jpg …), and the stored file's
// times are set to the start of the day (filestore.SetTime).

// maxStrippedImage bounds the photos read into memory to be cleaned.
const maxStrippedImage = 40 << 20

// storeTipFiles stores the files of a tip received at now, cleaned as above.
func (s *Server) storeTipFiles(headers []*multipart.FileHeader, now time.Time) ([]store.TipFile, error) {
	if len(headers) == 0 {
		return nil, nil
	}
	if s.files == nil {
		return nil, errs.New(errs.Unprocessable, "本服务未配置文件存储,不能上传附件")
	}
	day := civil.DayStart(now)
	var out []store.TipFile
	for i, h := range headers {
		name := "附件" + strconv.Itoa(i+1) + strings.ToLower(filepath.Ext(h.Filename))
		f, err := h.Open()
		if err != nil {
			return nil, errs.Wrap(err, errs.Unprocessable, "附件读取失败")
		}
		var r io.Reader = f
		head := make([]byte, 8)
		n, _ := f.ReadAt(head, 0)
		if isImage(head[:n]) {
			if h.Size > maxStrippedImage {
				f.Close()
				return nil, errs.OnField("files", "第"+strconv.Itoa(i+1)+"个附件的图片过大(上限40MB)")
			}
			raw, err := io.ReadAll(f)
			if err != nil {
				f.Close()
				return nil, errs.Wrap(err, errs.Unprocessable, "附件读取失败")
			}
			clean, err := stripTipImage(raw)
			if err != nil {
				f.Close()
				return nil, errs.OnField("files", "第"+strconv.Itoa(i+1)+"个附件的图片无法解析,请换一张")
			}
			r = bytes.NewReader(clean)
		}
		b, err := s.files.Put(r, name)
		f.Close()
		if err != nil {
			return nil, errs.Wrap(err, errs.CodeOf(err), "第"+strconv.Itoa(i+1)+"个附件:"+errs.MessageOf(err))
		}
		if err := s.files.SetTime(b.SHA256, day); err != nil {
			return nil, err
		}
		out = append(out, store.TipFile{SHA256: b.SHA256, Name: name, Type: b.Type, Size: b.Size})
	}
	return out, nil
}

var errBadImage = errors.New("malformed image")

// stripTipImage returns a JPEG without its metadata segments (EXIF and XMP
// in APP1, IPTC in APP13, other APPn and comments; JFIF, ICC colour
// profiles and Adobe's colour marker stay) or a PNG without its text, time
// and EXIF chunks. The image data is copied as it is, not re-encoded. Other
// content is returned unchanged.
func stripTipImage(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, jpegMagic):
		return stripJPEG(b)
	case bytes.HasPrefix(b, pngMagic):
		return stripPNG(b)
	}
	return b, nil
}

var jpegMagic, pngMagic = []byte{0xff, 0xd8}, []byte("\x89PNG\r\n\x1a\n")

// isImage reports whether head starts a JPEG or PNG file.
func isImage(head []byte) bool {
	return bytes.HasPrefix(head, jpegMagic) || bytes.HasPrefix(head, pngMagic)
}

func stripJPEG(b []byte) ([]byte, error) {
	out := append(make([]byte, 0, len(b)), 0xff, 0xd8)
	i := 2
	for {
		if i+4 > len(b) || b[i] != 0xff {
			return nil, errBadImage
		}
		m := b[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		if m == 0xd9 { // end of image without scan data
			return append(out, b[i:]...), nil
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, errBadImage
		}
		seg := b[i : i+2+n]
		keep := true
		switch {
		case m == 0xfe: // comment
			keep = false
		case m >= 0xe0 && m <= 0xef: // APPn
			keep = m == 0xe0 || m == 0xe2 || m == 0xee
		}
		if keep {
			out = append(out, seg...)
		}
		i += 2 + n
		if m == 0xda { // start of scan: the rest is image data
			return append(out, b[i:]...), nil
		}
	}
}

func stripPNG(b []byte) ([]byte, error) {
	out := append(make([]byte, 0, len(b)), b[:8]...)
	i := 8
	for i < len(b) {
		if i+12 > len(b) {
			return nil, errBadImage
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < 0 || i+12+n > len(b) {
			return nil, errBadImage
		}
		typ := string(b[i+4 : i+8])
		switch typ {
		case "tEXt", "zTXt", "iTXt", "tIME", "eXIf":
		default:
			out = append(out, b[i:i+12+n]...)
		}
		i += 12 + n
		if typ == "IEND" {
			return out, nil
		}
	}
	return nil, errBadImage
}
