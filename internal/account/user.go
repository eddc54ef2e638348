package account

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// User is an account. Scope is the org unit whose subtree the user sees.
type User struct {
	ID             int64
	Username       string
	DisplayName    string
	Role           Role
	ScopeCode      string // "" means the whole tree (admins only)
	ScopePath      string
	ScopeName      string
	DepartmentCode string // reviewers only
	DepartmentName string
	Disabled       bool
	CreatedAt      time.Time
	// MustChangePassword is set when an office reset the password to a
	// one-time one: until the user chooses their own, they may do nothing else.
	MustChangePassword bool
	LastLoginAt        time.Time // zero if never signed in
}

// Scope is the subtree the user may see.
func (u User) Scope() org.Scope {
	if u.ScopePath == "" {
		return org.All
	}
	return org.Within(u.ScopePath)
}

// Can reports whether the user's role holds p.
func (u User) Can(p Permission) bool { return !u.Disabled && Can(u.Role, p) }

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NewUser is what it takes to add a user.
type NewUser struct {
	Username       string
	DisplayName    string
	Role           Role
	ScopeCode      string
	DepartmentCode string
	Password       string
	// PasswordHash, when set, is Password hashed ahead by HashPassword, by a
	// caller that hashes many while doing other work (the demo's loader);
	// Password is then not needed.
	PasswordHash string
}

// Validate checks a new user before it is stored.
func (n *NewUser) Validate() error {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if !usernamePattern.MatchString(n.Username) {
		return errs.OnField("username", "用户名须为2至32位小写字母、数字、点、短横线或下划线")
	}
	if n.DisplayName == "" {
		n.DisplayName = n.Username
	}
	if utf8.RuneCountInString(n.DisplayName) > 40 {
		return errs.OnField("display_name", "姓名不超过40个字")
	}
	if err := n.ValidateRole(); err != nil {
		return err
	}
	if n.PasswordHash != "" {
		if !strings.HasPrefix(n.PasswordHash, "$argon2id$") {
			return errs.OnField("password", "密码散列的格式不正确")
		}
		return nil
	}
	return CheckPassword(n.Password, n.Username)
}

// ValidateRole checks that the role, scope and department fit together:
// district and community accounts need a scope, reviewers a department.
func (n *NewUser) ValidateRole() error {
	if !n.Role.Valid() {
		labels := make([]string, len(Roles))
		for i, r := range Roles {
			labels[i] = r.Label()
		}
		return errs.OnField("role", "未知的角色,可选:"+strings.Join(labels, "、"))
	}
	if (n.Role == District || n.Role == Community) && n.ScopeCode == "" {
		return errs.OnField("scope", "片区和社区账号必须指定管辖范围(组织编码)")
	}
	if n.Role == Reviewer && n.DepartmentCode == "" {
		return errs.OnField("department", "联审部门账号必须指定所属部门")
	}
	if n.Role != Reviewer && n.DepartmentCode != "" {
		return errs.OnField("department", "只有联审部门账号才能指定部门")
	}
	return nil
}

// Department is a vetting department (联审部门); a reviewer belongs to one.
type Department struct {
	ID   int64
	Code string
	Name string
}
