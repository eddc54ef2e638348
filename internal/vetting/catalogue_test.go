package vetting

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestDefaults(t *testing.T) {
	cat, deps := DefaultCatalogue(), DefaultDepartments()
	if err := cat.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := deps.Validate(cat); err != nil {
		t.Fatal(err)
	}
	if len(deps) != 20 {
		t.Fatalf("%d default departments, want 20", len(deps))
	}
	// The codes and names of the departments table (migration 00001).
	for code, name := range map[string]string{"jwjw": "纪委监委", "gaj": "公安局", "xfj": "信访局", "wjj": "卫生健康局", "rmyh": "人民银行(征信)"} {
		if d, ok := deps.Find(code); !ok || d.Name != name {
			t.Errorf("department %s = %+v", code, d)
		}
	}
	for _, d := range deps {
		if d.Checklist[len(d.Checklist)-1] != OtherCondition {
			t.Errorf("%s does not end with the catch-all", d.Name)
		}
	}
	// Every condition is checked by some department.
	for _, c := range cat {
		if len(deps.Checking(c.Code)) == 0 {
			t.Errorf("no department checks %s", c.Code)
		}
		if c.Label() != c.Tier.Label()+":"+c.Text {
			t.Errorf("label %q", c.Label())
		}
	}
	if n := len(deps.Checking(OtherCondition)); n != 20 {
		t.Errorf("%d departments check the catch-all", n)
	}
	if c, ok := cat.Find("deprived"); !ok || c.Tier != TierBarred || c.Tier.Status() != Barred {
		t.Errorf("deprived = %+v", c)
	}
	if c, ok := cat.Find("detention"); !ok || c.Tier != TierUnsuitable || c.Months != 60 || c.Tier.Status() != Unsuitable {
		t.Errorf("detention = %+v", c)
	}
	// Defaults are fresh copies: editing one does not change the next.
	deps[0].Checklist[0] = "x"
	cat[0].Code = "x"
	if DefaultDepartments()[0].Checklist[0] == "x" || DefaultCatalogue()[0].Code == "x" {
		t.Fatal("defaults share storage")
	}
}

func TestCatalogueValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(Catalogue) Catalogue
		want string
	}{
		{"bad code", func(c Catalogue) Catalogue { c[0].Code = "Criminal"; return c }, "第 1 项情形的编码须为小写字母开头"},
		{"duplicate", func(c Catalogue) Catalogue { c[1].Code = c[0].Code; return c }, "第 2 项情形的编码 deprived 重复"},
		{"no tier", func(c Catalogue) Catalogue { c[2].Tier = "不得"; return c }, "第 3 项情形须注明是“不得”还是“不宜”情形"},
		{"short text", func(c Catalogue) Catalogue { c[0].Text = " 犯罪 "; return c }, "内容须为4至200个字"},
		{"negative window", func(c Catalogue) Catalogue { c[0].Months = -1; return c }, "追溯期"},
		{"no catch-all", func(c Catalogue) Catalogue { return c[:len(c)-1] }, "兜底项"},
	}
	for _, tt := range tests {
		err := tt.edit(DefaultCatalogue()).Validate()
		if !errs.Is(err, errs.Unprocessable) || !strings.Contains(errs.MessageOf(err), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestDepartmentsValidate(t *testing.T) {
	cat := DefaultCatalogue()
	tests := []struct {
		name string
		edit func(Departments) Departments
		want string
	}{
		{"none", func(Departments) Departments { return nil }, "至少配置一个联审部门"},
		{"bad code", func(d Departments) Departments { d[0].Code = "纪委"; return d }, "第 1 个部门的编码"},
		{"duplicate code", func(d Departments) Departments { d[5].Code = "jwjw"; return d }, "第 6 个部门的编码 jwjw 重复"},
		{"no name", func(d Departments) Departments { d[0].Name = " "; return d }, "名称不能为空"},
		{"empty checklist", func(d Departments) Departments { d[1].Checklist = nil; return d }, "组织部的审查清单为空"},
		{"unknown condition", func(d Departments) Departments { d[5].Checklist[0] = "speeding"; return d }, "公安局的审查清单引用了未知情形 speeding"},
		{"repeated condition", func(d Departments) Departments {
			d[9].Checklist = append(d[9].Checklist, "petition")
			return d
		}, "信访局的审查清单重复列出情形 petition"},
	}
	for _, tt := range tests {
		err := tt.edit(DefaultDepartments()).Validate(cat)
		if !errs.Is(err, errs.Unprocessable) || !strings.Contains(errs.MessageOf(err), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	// A catalogue without a condition a department checks invalidates the list.
	var smaller Catalogue
	for _, c := range cat {
		if c.Code != "credit" {
			smaller = append(smaller, c)
		}
	}
	if err := DefaultDepartments().Validate(smaller); !strings.Contains(errs.MessageOf(err), "人民银行(征信)的审查清单引用了未知情形 credit") {
		t.Errorf("removed condition: %v", err)
	}
}
