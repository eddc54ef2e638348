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
