// Package account holds users, their roles and scopes, and the one table that
// decides what each role may do. Handlers never decide authorization
// themselves: they name a Permission and ask Can.
package account

// Role is what a user does in the campaign. The names are the ones the CLI
// and the API use.
type Role string

// The roles (BRIEF.md, "Who uses it").
const (
	Admin      Role = "admin"      // 换届办公室: runs everything in its scope
	Leader     Role = "leader"     // 领导: read-only dashboards and reports
	District   Role = "district"   // 片区工作专班
	Community  Role = "community"  // 社区工作人员
	Reviewer   Role = "reviewer"   // 联审部门, bound to one department
	Discipline Role = "discipline" // 纪委
	Police     Role = "police"     // 公安
	Committee  Role = "committee"  // 党委: second review and decisions
)

// Roles lists every role in display order.
var Roles = []Role{Admin, Leader, District, Community, Reviewer, Discipline, Police, Committee}

var roleLabels = map[Role]string{
	Admin: "换届办公室", Leader: "领导", District: "片区工作专班", Community: "社区",
	Reviewer: "联审部门", Discipline: "纪委", Police: "公安", Committee: "党委",
}

// Label is the Chinese name of the role.
func (r Role) Label() string { return roleLabels[r] }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }
