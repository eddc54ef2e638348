package web

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/filestore"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// archiveIndexName is the index workbook at the top of an export.
const archiveIndexName = "00_档案目录.xlsx"

// archiveIndexHeaders head the index's columns. 文件校验码 is the file's
// SHA-256, by which the archives check that a file is the one filed.
var archiveIndexHeaders = []string{"序号", "分类", "类型", "文件名", "大小", "文件校验码", "上传人", "上传时间", "说明"}

// archiveExport streams a community's archive of the current cycle as one
// zip, ready to hand to the archives: the index workbook first, then one
// folder per category with the files numbered as in the index. Files are
// read from the store one at a time and hash-checked on the way; the export
// is audited.
func (s *Server) archiveExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	v, files, err := s.archiveView(ctx, db, r.PathValue("code"))
	if err != nil {
		return err
	}
	if s.files == nil && len(files) > 0 {
		return errs.New(errs.NotFound, "本服务未配置文件存储")
	}
	// Filing order: category, then upload time; 序号 follows it.
	slices.SortStableFunc(files, func(a, b archive.File) int {
		return slices.Index(archive.Categories, a.Category) - slices.Index(archive.Categories, b.Category)
	})
	if err := s.checkArchive(files); err != nil {
		return err
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, audit.ArchiveExport, store.On("community", v.Community.Code, v.Community.Code), nil, audit.Fields{"cycle": v.Cycle.Code,
			"files": len(files), "size": v.Total})
	})
	if err != nil {
		return err
	}
	day := s.st.Today()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", contentDisposition(v.Community.Code+"_"+v.Community.Name+"_换届档案_"+day.String()+".zip"))
	w.Header().Set("Cache-Control", "private, no-store")
	zw := zip.NewWriter(w)
	fail := func(step string, err error) {
		// The status is gone: abort the response so that the client sees a
		// broken download, never a short zip that looks whole.
		s.log.Error("archive export", "community", v.Community.Code, "step", step, "err", err)
		panic(http.ErrAbortHandler)
	}
	iw, err := zw.CreateHeader(&zip.FileHeader{Name: archiveIndexName, Method: zip.Deflate, Modified: s.st.Now()})
	if err != nil {
		fail("index", err)
	}
	if err := writeArchiveIndex(iw, v, files); err != nil {
		fail("index", err)
	}
	for i, f := range files {
		body, _, err := s.files.Get(f.SHA256)
		if err != nil {
			fail(f.SHA256, err)
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: archive.ExportName(f, i+1), Method: zipMethod(f.Type), Modified: f.UploadedAt,
			Comment: f.SHA256})
		if err == nil {
			_, err = io.Copy(fw, body)
		}
		body.Close()
		if err != nil {
			fail(f.SHA256, err)
		}
	}
	if err := zw.Close(); err != nil {
		fail("close", err)
	}
	return nil
}

// checkArchive reads every file of an export whole against its SHA-256
// before the export starts: a zip cut off at the first bad file (its
// status long sent) looks to the archives like a network fault. Files gone
// or changed are refused at once, listed by their number in the export.
func (s *Server) checkArchive(files []archive.File) error {
	var bad []string
	for i, f := range files {
		err := s.files.Check(f.SHA256)
		switch {
		case err == nil:
			continue
		case errors.Is(err, filestore.ErrGone):
			bad = append(bad, fmt.Sprintf("%03d %s(已丢失)", i+1, f.Name))
		case errors.Is(err, filestore.ErrCorrupt):
			bad = append(bad, fmt.Sprintf("%03d %s(已被改动)", i+1, f.Name))
		default:
			return err
		}
	}
	if len(bad) == 0 {
		return nil
	}
	s.log.Error("archive export refused", "bad", strings.Join(bad, "; "))
	return errs.Newf(errs.Conflict, "档案中有 %d 个文件已丢失或被改动,未导出:%s。请管理员从备份恢复这些文件(或删除后重新上传),"+
		"可用 huanjie archive verify 检查全部档案文件,然后再导出。", len(bad), strings.Join(bad, "、"))
}

// zipMethod stores media and zip-based documents as they are: compressing
// them again costs time and saves nothing.
func zipMethod(typ string) uint16 {
	if strings.HasPrefix(typ, "text/") || typ == "application/pdf" || typ == "application/x-ole-storage" ||
		typ == "audio/wave" || typ == "audio/aiff" || typ == "image/bmp" {
		return zip.Deflate
	}
	return zip.Store
}

// writeArchiveIndex writes the index workbook (档案目录): one row per file,
// in the order and with the numbers of the export.
func writeArchiveIndex(w io.Writer, v archiveView, files []archive.File) error {
	const sheet = "档案目录"
	f, err := xlsx.NewBook(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	head, err := xlsx.HeaderStyle(f, "DDEBF7", false)
	if err != nil {
		return err
	}
	moment, err := xlsx.DateStyle(f, nil, xlsx.MomentFormat)
	if err != nil {
		return err
	}
	sw, err := xlsx.NewStream(f, sheet, len(files)+3, []float64{6, 22, 8, 36, 12, 68, 12, 20, 40}, nil)
	if err != nil {
		return err
	}
	if err := sw.Header(head, archiveIndexHeaders); err != nil {
		return err
	}
	for i, a := range files {
		if err := sw.Row([]any{i + 1, a.Category.Label(), string(a.Kind), xlsx.CellText(a.Name), a.Size, a.SHA256, actorName(a.UploadedBy),
			xlsx.Moment(a.UploadedAt, moment), xlsx.CellText(a.Note)}); err != nil {
			return err
		}
	}
	sw.Skip(1)
	if err := sw.Row([]any{"", v.Community.Code + " " + v.Community.Name + " · " + v.Cycle.Name + " · 共" +
		itoaInt(len(files)) + "个文件," + archive.HumanSize(v.Total) + " · 大小单位为字节,文件校验码可用于核对文件未被改动"}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return xlsx.Write(w, f)
}
