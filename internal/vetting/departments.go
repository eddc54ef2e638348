package vetting

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
)

// Department is a vetting department (联审部门) and the conditions it checks.
type Department struct {
	Code      string
	Name      string
	Checklist []string // condition codes, in the order of its form
}

// Checks reports whether the department checks condition code.
func (d Department) Checks(code string) bool { return slices.Contains(d.Checklist, code) }

// Departments is the configured list of a cycle, in display order.
type Departments []Department

// Find returns the department with code.
func (ds Departments) Find(code string) (Department, bool) {
	for _, d := range ds {
		if d.Code == code {
			return d, true
		}
	}
	return Department{}, false
}

// Checking lists the departments that check condition code.
func (ds Departments) Checking(code string) Departments {
	var out Departments
	for _, d := range ds {
		if d.Checks(code) {
			out = append(out, d)
		}
	}
	return out
}

// DepartmentName is the name of the department with code ("" for an
// unknown one): the names the departments table is seeded with.
func DepartmentName(code string) string {
	d, _ := defaultDepartments.Find(code)
	return d.Name
}

var defaultDepartments = DefaultDepartments()

// DefaultChecklist is the checklist DefaultDepartments gives the department
// with code, a copy; nil for a code it does not list.
func DefaultChecklist(code string) []string {
	d, _ := defaultDepartments.Find(code)
	return slices.Clone(d.Checklist)
}

var departmentCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,19}$`)

// Validate checks the list against the catalogue: codes well-formed and
// unique, names given, every checklist non-empty, without repeats and naming
// only conditions the catalogue has.
func (ds Departments) Validate(cat Catalogue) error {
	if len(ds) == 0 {
		return errs.OnField("departments", "至少配置一个联审部门")
	}
	seen := map[string]bool{}
	for i, d := range ds {
		where := fmt.Sprintf("第 %d 个部门", i+1)
		switch n := utf8.RuneCountInString(strings.TrimSpace(d.Name)); {
		case !departmentCode.MatchString(d.Code):
			return errs.OnField("code", where+"的编码须为小写字母开头的字母、数字或下划线,不超过20位")
		case seen[d.Code]:
			return errs.OnField("code", where+"的编码 "+d.Code+" 重复")
		case n == 0 || n > 30:
			return errs.OnField("name", where+"的名称不能为空,且不超过30个字")
		case len(d.Checklist) == 0:
			return errs.OnField("checklist", d.Name+"的审查清单为空")
		}
		seen[d.Code] = true
		for j, code := range d.Checklist {
			if _, ok := cat.Find(code); !ok {
				return errs.OnField("checklist", d.Name+"的审查清单引用了未知情形 "+code)
			}
			if slices.Index(d.Checklist, code) != j {
				return errs.OnField("checklist", d.Name+"的审查清单重复列出情形 "+code)
			}
		}
	}
	return nil
}

// DefaultDepartments are the twenty departments of the seed's joint review,
// with the codes and order of the departments table, each with what it
// typically checks (reference/rules.md §1.5). The mapping is practice, not
// law: the office edits it. Every checklist ends with the catch-all.
func DefaultDepartments() Departments {
	d := func(code, name string, checks ...string) Department {
		return Department{Code: code, Name: name, Checklist: append(checks, OtherCondition)}
	}
	return Departments{
		d("jwjw", "纪委监委", "sanction", "under_investigation", "bribery", "interference", "disloyal", "funds"),
		d("zzb", "组织部", "sanction", "disloyal", "incompetent", "absence", "no_pledge"),
		d("tzb", "统战部", "religion_clan", "cult"),
		d("shgzb", "社会工作部", "incompetent", "absence"),
		d("zfw", "政法委", "village_bully", "gang"),
		d("gaj", "公安局", "criminal", "village_bully", "gang", "cult", "religion_clan", "detention",
			"superstition", "petition", "bribery", "interference", "disloyal"),
		d("fy", "人民法院", "deprived", "criminal", "gang", "incapacity", "defaulter"),
		d("jcy", "人民检察院", "deprived", "criminal", "gang", "under_investigation"),
		d("sfj", "司法局", "criminal"),
		d("xfj", "信访局", "petition"),
		d("wjj", "卫生健康局", "incapacity"),
		d("mzj", "民政局", "not_voter", "incapacity", "incompetent"),
		d("nyncj", "农业农村局", "funds"),
		d("zrzyj", "自然资源局", "land"),
		d("zhzfj", "综合行政执法局", "land"),
		d("sthjj", "生态环境局", "environment"),
		d("swj", "税务局", "tax"),
		d("scjgj", "市场监督管理局", "business"),
		d("sjj", "审计局", "funds"),
		d("rmyh", "人民银行(征信)", "credit"),
	}
}
