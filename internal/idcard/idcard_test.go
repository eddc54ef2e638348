package idcard

import (
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestParse(t *testing.T) {
	// 11010519491231002X is the standard's own worked example.
	info, err := Parse("11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	if info.Sex() != "女" || info.Birth != time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC) || info.Region != "110105" {
		t.Fatalf("info %+v", info)
	}
	if age := info.AgeOn(time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC)); age != 76 {
		t.Fatalf("age the day before the birthday: %d", age)
	}
	if age := info.AgeOn(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)); age != 77 {
		t.Fatalf("age on the birthday: %d", age)
	}
	if _, err := Parse("11010519491231002x"); err != nil {
		t.Fatalf("lower-case x: %v", err)
	}
	for _, bad := range []string{"110105194912310021", "11010519491331002X", "1101051949123100", "1101051949123100AX", ""} {
		if _, err := Parse(bad); !errs.Is(err, errs.Unprocessable) {
			t.Errorf("%q: %v, want unprocessable", bad, err)
		}
	}
	if _, err := Parse("110105194912310021"); errs.MessageOf(err) != "身份证号码校验位不正确,请核对" {
		t.Fatalf("check digit message: %q", errs.MessageOf(err))
	}
}

func withCheck(first17 string) string { return first17 + string(CheckDigit(first17)) }

// Finding 10: a region code that begins with no province is refused; a
// county the GB/T 2260 list lacks is accepted with a warning.
func TestParseRegion(t *testing.T) {
	for _, bad := range []string{"00030219850301123", "00000019850301123", "10010119850301123", "66010119850301123", "84010119850301123"} {
		_, err := Parse(withCheck(bad))
		if !errs.Is(err, errs.Unprocessable) || errs.FieldOf(err) != "id_number" || errs.MessageOf(err) != "身份证号码的前两位不是有效的省级行政区划代码,请核对" {
			t.Errorf("%s: %v, want a refusal of the province", bad, err)
		}
	}
	for _, c := range []struct {
		first17 string
		warn    bool
	}{
		{"11010519491231002", false}, // 北京市朝阳区
		{"37030219850301123", false}, // 淄博市张店区
		{"44030619850301123", false}, // 深圳市宝安区
		{"81000019850301123", false}, // 香港特别行政区
		{"32010219850301123", false}, // 南京市玄武区: retired in 2013, still on old cards
		{"37039919850301123", true},  // no such county
		{"99010119850301123", true},  // demo numbers
	} {
		info, err := Parse(withCheck(c.first17))
		if err != nil {
			t.Errorf("%s: %v", c.first17, err)
			continue
		}
		if w := info.RegionWarning(); (w != "") != c.warn {
			t.Errorf("%s: warning %q, want one: %v", c.first17, w, c.warn)
		}
	}
	if len(regions) < 4000 {
		t.Fatalf("%d region codes embedded", len(regions))
	}
}

// FuzzParse: no input panics, and whatever Parse accepts is 18 characters
// with a province prefix, a correct check character and a real birth date,
// and has a region warning that does not panic either.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "000302198503011236", "99010119850301123X",
		"1101051949123100", "", "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", "１１０１０５１９４９１２３１００２Ｘ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		info, err := Parse(id)
		_ = RegionWarning(id)
		_ = Normalize(id)
		if err != nil {
			if errs.CodeOf(err) != errs.Unprocessable || errs.FieldOf(err) != "id_number" {
				t.Fatalf("%q: %v", id, err)
			}
			return
		}
		if len(id) != 18 || !provinces[id[:2]] && id[:2] != DemoProvince || CheckDigit(id[:17]) != Normalize(id)[17] ||
			info.Birth.Year() < 1900 || info.Birth.Format("20060102") != id[6:14] {
			t.Fatalf("accepted %q as %+v", id, info)
		}
		_ = info.RegionWarning()
	})
}
