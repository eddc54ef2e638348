// Package archive is a community's 换届 archive (归档): the documents,
// charts, audio and video recorded as the work happens, each filed under a
// category and handed to the archives at the end as one zip with an index.
// It holds the rules (kinds, categories, validation); the bytes live in
// internal/filestore and the records in internal/store.
package archive

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
)

// Kind is the coarse class of an archived file, as village archives are
// kept: 文字、图表、音像 (《村级档案管理办法》, reference/cn-systems.md §3.10),
// with 音像 split into 录音 and 录像 as issue 5 asks.
type Kind string

// The four kinds.
const (
	Text  Kind = "文字" // documents, workbooks, PDFs, plain text
	Chart Kind = "图表" // images: photos, scanned forms, charts
	Audio Kind = "录音"
	Video Kind = "录像"
)

// Kinds in display order.
var Kinds = []Kind{Text, Chart, Audio, Video}

// KindOf sorts a sniffed content type into the four kinds. The type comes
// from the content, never from the name.
func KindOf(typ string) Kind {
	switch {
	case strings.HasPrefix(typ, "image/"):
		return Chart
	case strings.HasPrefix(typ, "audio/"), typ == "application/ogg":
		return Audio
	case strings.HasPrefix(typ, "video/"):
		return Video
	}
	return Text
}

// Fonds is the archival 门类 a kind belongs to: the 长清 district filed its
// 换届 records as 文书档案 and 声像档案 (cn-systems.md §3.10).
func (k Kind) Fonds() string {
	if k == Text {
		return "文书档案"
	}
	return "声像档案"
}

// Category is where a file is filed in the archive; stable codes, Chinese
// labels.
type Category string

// The categories follow the documents rules.md lists to archive (换届请示,
// 批复, candidate material, agenda, election method, host's script, ballots,
// tally, result report: "Documents to archive", §2), the organic law's
// 选举文件和选票 (村委会组织法 Art. 34), voter registration and publication
// (Art. 13–14), the handover within 10 days (Art. 20), the daily meetings
// and ledgers of the 三个一 (BRIEF.md §4) and the 声像档案 of cn-systems.md
// §3.10. rules.md marks its list UNCONFIRMED as an official one, so 其他
// catches the rest.
const (
	Request    Category = "request"    // 换届请示与批复
	Voters     Category = "voters"     // 选民登记
	Candidates Category = "candidates" // 候选人材料
	Assembly   Category = "assembly"   // 选举大会材料(议程、选举办法、主持词)
	Ballots    Category = "ballots"    // 选票与计票
	Results    Category = "results"    // 选举结果报告
	Handover   Category = "handover"   // 交接材料
	Minutes    Category = "minutes"    // 会议记录
	Media      Category = "media"      // 影像资料
	Other      Category = "other"      // 其他
)

// Categories in filing order: the order of the election's steps.
var Categories = []Category{Request, Voters, Candidates, Assembly, Ballots, Results, Handover, Minutes, Media, Other}

var categoryLabels = map[Category]string{
	Request: "换届请示与批复", Voters: "选民登记", Candidates: "候选人材料",
	Assembly: "选举大会材料(议程、选举办法、主持词)", Ballots: "选票与计票", Results: "选举结果报告",
	Handover: "交接材料", Minutes: "会议记录", Media: "影像资料", Other: "其他",
}

var categoryShort = map[Category]string{Assembly: "选举大会材料"}

// Label is the category's Chinese name.
func (c Category) Label() string { return categoryLabels[c] }

// Folder is the category's folder name in an export: its place in the
// filing order and its short name, e.g. "04_选举大会材料".
func (c Category) Folder() string {
	name := categoryShort[c]
	if name == "" {
		name = categoryLabels[c]
	}
	for i, x := range Categories {
		if x == c {
			return fmt.Sprintf("%02d_%s", i+1, name)
		}
	}
	return name
}

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool { _, ok := categoryLabels[c]; return ok }

// ParseCategory accepts a category's code or its Chinese name (full or
// short), as forms, scripts and spreadsheets give it.
func ParseCategory(s string) (Category, error) {
	s = strings.TrimSpace(s)
	if c := Category(s); c.Valid() {
		return c, nil
	}
	for _, c := range Categories {
		if s != "" && (s == c.Label() || s == categoryShort[c]) {
			return c, nil
		}
	}
	return "", errs.OnField("category", "请选择档案分类(换届请示与批复、选民登记、候选人材料、选举大会材料、选票与计票、选举结果报告、交接材料、会议记录、影像资料、其他)")
}

// File is one entry of a community's archive. The same content (SHA256) may
// be filed more than once, under different names or categories; it is
// stored once.
type File struct {
	ID         int64
	CycleID    int64
	OrgCode    string
	OrgName    string
	SHA256     string
	Name       string // the uploader's file name, without folders
	Type       string // sniffed from the content
	Size       int64
	Kind       Kind
	Category   Category
	Note       string
	UploadedBy string
	UploadedAt time.Time
}

// Limits of the text fields.
const (
	MaxNameRunes = 200
	MaxNoteRunes = 500
)

// CleanName keeps the last element of an uploaded file name: browsers on
// Windows may send a full path, and a name must not climb out of its folder
// in an export.
func CleanName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimSpace(path.Base(name))
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
}

// Validate checks an entry before it is recorded and sets its kind from its
// type.
func (f *File) Validate() error {
	f.Name = CleanName(f.Name)
	if f.Name == "" || utf8.RuneCountInString(f.Name) > MaxNameRunes {
		return errs.OnField("file", "文件名不能为空,且不超过200字")
	}
	if !f.Category.Valid() {
		_, err := ParseCategory(string(f.Category))
		return err
	}
	f.Note = strings.TrimSpace(f.Note)
	if utf8.RuneCountInString(f.Note) > MaxNoteRunes {
		return errs.OnField("note", "说明不超过500字")
	}
	if len(f.SHA256) != 64 || f.Size <= 0 || f.Type == "" {
		return errs.OnField("file", "文件尚未存入档案库")
	}
	f.Kind = KindOf(f.Type)
	return nil
}

// Group is one category of an archive with its files.
type Group struct {
	Category Category
	Files    []File
	Size     int64
}

// ByCategory groups files in filing order; empty categories are left out.
func ByCategory(files []File) []Group {
	at := map[Category]int{}
	var out []Group
	for _, c := range Categories {
		at[c] = len(out)
		out = append(out, Group{Category: c})
	}
	for _, f := range files {
		i, ok := at[f.Category]
		if !ok {
			i = at[Other]
		}
		out[i].Files = append(out[i].Files, f)
		out[i].Size += f.Size
	}
	kept := out[:0]
	for _, g := range out {
		if len(g.Files) > 0 {
			kept = append(kept, g)
		}
	}
	return kept
}

// ExportName is the path of a file inside an export: its category's folder
// and a name made unique by its number in the index (序号).
func ExportName(f File, seq int) string {
	return f.Category.Folder() + "/" + fmt.Sprintf("%03d", seq) + "_" + f.Name
}

// HumanSize writes a size the way an office reads it.
func HumanSize(n int64) string {
	unit := func(size float64, name string) string {
		return strings.TrimSuffix(strconv.FormatFloat(size, 'f', 1, 64), ".0") + " " + name
	}
	switch {
	case n >= 1<<30:
		return unit(float64(n)/(1<<30), "GB")
	case n >= 1<<20:
		return unit(float64(n)/(1<<20), "MB")
	case n >= 1<<10:
		return unit(float64(n)/(1<<10), "KB")
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

// SizeLabel is the file's size for people.
func (f File) SizeLabel() string { return HumanSize(f.Size) }
