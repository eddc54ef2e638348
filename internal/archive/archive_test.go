package archive

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestKindOf(t *testing.T) {
	for typ, want := range map[string]Kind{
		"application/pdf": Text, "application/zip": Text, "text/plain; charset=utf-8": Text,
		"image/jpeg": Chart, "image/png": Chart, "audio/mpeg": Audio, "audio/amr": Audio, "application/ogg": Audio,
		"video/mp4": Video, "video/webm": Video,
	} {
		if got := KindOf(typ); got != want {
			t.Errorf("KindOf(%q) = %s, want %s", typ, got, want)
		}
	}
	if Text.Fonds() != "文书档案" || Video.Fonds() != "声像档案" || Chart.Fonds() != "声像档案" {
		t.Error("fonds")
	}
}

func TestCategories(t *testing.T) {
	for _, in := range []string{"request", "换届请示与批复", " 选举大会材料 ", "选举大会材料(议程、选举办法、主持词)"} {
		if _, err := ParseCategory(in); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
	for _, in := range []string{"", "秘密", "Request"} {
		if _, err := ParseCategory(in); !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != "category" {
			t.Errorf("%q accepted: %v", in, err)
		}
	}
	seen := map[string]bool{}
	for _, c := range Categories {
		if c.Label() == "" || seen[c.Folder()] || strings.ContainsAny(c.Folder(), `/\:*?"<>|`) {
			t.Errorf("category %s: label %q folder %q", c, c.Label(), c.Folder())
		}
		seen[c.Folder()] = true
	}
	if Assembly.Folder() != "04_选举大会材料" || Other.Folder() != "10_其他" {
		t.Errorf("folders %s %s", Assembly.Folder(), Other.Folder())
	}
}

func TestValidate(t *testing.T) {
	sha := strings.Repeat("a", 64)
	f := File{Name: `C:\Users\办公室\桌面\选举结果报告单.jpg`, Category: Results, Note: "  公示后归档 ", SHA256: sha, Size: 10, Type: "image/jpeg"}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if f.Name != "选举结果报告单.jpg" || f.Kind != Chart || f.Note != "公示后归档" {
		t.Fatalf("%+v", f)
	}
	bad := map[string]File{
		"no name":       {Name: "  ", Category: Results, SHA256: sha, Size: 1, Type: "image/jpeg"},
		"climbing name": {Name: "../", Category: Results, SHA256: sha, Size: 1, Type: "image/jpeg"},
		"long name":     {Name: strings.Repeat("名", 201), Category: Results, SHA256: sha, Size: 1, Type: "image/jpeg"},
		"no category":   {Name: "a.jpg", SHA256: sha, Size: 1, Type: "image/jpeg"},
		"long note":     {Name: "a.jpg", Category: Results, Note: strings.Repeat("说", 501), SHA256: sha, Size: 1, Type: "image/jpeg"},
		"not stored":    {Name: "a.jpg", Category: Results},
	}
	for name, f := range bad {
		if err := f.Validate(); !errs.Is(err, errs.Unprocessable) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := ExportName(File{Name: "议程.docx", Category: Assembly}, 7); n != "04_选举大会材料/007_议程.docx" {
		t.Errorf("export name %s", n)
	}
}

func TestByCategory(t *testing.T) {
	gs := ByCategory([]File{{Category: Other, Size: 1}, {Category: Request, Size: 2}, {Category: Request, Size: 3}, {Category: "gone", Size: 4}})
	if len(gs) != 2 || gs[0].Category != Request || gs[0].Size != 5 || gs[1].Category != Other || len(gs[1].Files) != 2 {
		t.Fatalf("%+v", gs)
	}
	if HumanSize(512) != "512 字节" || HumanSize(64<<20) != "64 MB" || HumanSize(1536<<10) != "1.5 MB" || HumanSize(3<<30) != "3 GB" {
		t.Error(HumanSize(512), HumanSize(64<<20), HumanSize(1536<<10), HumanSize(3<<30))
	}
}
