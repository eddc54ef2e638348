package account

import (
	"strings"
	"testing"
	"time"
)

func TestPasswords(t *testing.T) {
	h, err := HashPassword("正确的密码 horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if !VerifyPassword(h, "正确的密码 horse") || VerifyPassword(h, "正确的密码 horsE") || VerifyPassword("garbage", "x") {
		t.Fatal("verify")
	}
	if CheckPassword("short", "") == nil || CheckPassword("long enough", "") != nil {
		t.Fatal("policy")
	}
	if p := RandomPassword(14); len(p) != 14 || strings.ContainsAny(p, "0O1lI") {
		t.Fatalf("random password %q", p)
	}
}

// The policy refuses common passwords and the username, whatever the case,
// and names the field (issue 12, finding 5).
func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		pw, user string
		ok       bool
	}{
		{"长江黄河 horse battery", "wangfang", true},
		{"Kx7#pQ2m!vL9", "wangfang", true},
		{"short", "wangfang", false},
		{"1234567890", "wangfang", false},
		{"qwertyuiop", "wangfang", false},
		{"QWERTYUIOP", "wangfang", false},
		{"password123", "wangfang", false},
		{"woaini1314", "wangfang", false},
		{"1qaz2wsx3edc", "wangfang", false},
		{"wangfang2026", "wangfang", false},
		{"My-WangFang-pw", "wangfang", false},
	}
	for _, c := range cases {
		err := CheckPassword(c.pw, c.user)
		if c.ok && err != nil {
			t.Errorf("%q: %v", c.pw, err)
		}
		if !c.ok && (err == nil || errField(err) != "password") {
			t.Errorf("%q accepted or not on the password field: %v", c.pw, err)
		}
	}
	if len(common) < 7000 {
		t.Fatalf("common list has %d entries", len(common))
	}
	if err := (&NewUser{Username: "lisi.office", Role: Admin, Password: "lisi.office-1"}).Validate(); err == nil || errField(err) != "password" {
		t.Fatalf("a new user's password may contain the username: %v", err)
	}
}

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var a Attempts
	for i := 0; i < MaxFailures-1; i++ {
		a = a.Fail(now, MaxFailures)
	}
	if a.Locked(now) {
		t.Fatal("locked before the limit")
	}
	a = a.Fail(now, MaxFailures)
	if !a.Locked(now) || a.Locked(now.Add(LockFor)) {
		t.Fatal("lock window")
	}
	// Failures far apart start a new window.
	var b Attempts
	for i := 0; i < MaxFailures; i++ {
		b = b.Fail(now.Add(time.Duration(i)*(FailureWindow+time.Minute)), MaxFailures)
	}
	if b.Locked(now.Add(time.Duration(MaxFailures-1) * (FailureWindow + time.Minute))) {
		t.Fatal("spread-out failures locked the account")
	}
}

// A bucket lets Burst requests through at once, refuses the next with the
// wait until a token is back, and is full again after Every.
func TestBucket(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := Bucket{Key: "k", Burst: 5, Every: 10 * time.Minute}
	var tat time.Time // a bucket never used
	for i := range 5 {
		next, wait := b.Take(tat, now)
		if wait != 0 {
			t.Fatalf("request %d refused, wait %v", i+1, wait)
		}
		tat = next
	}
	next, wait := b.Take(tat, now)
	if wait != 2*time.Minute || !next.Equal(tat) {
		t.Fatalf("sixth request: wait %v, TAT moved %v → %v; want a wait of 2m and the TAT kept", wait, tat, next)
	}
	if _, wait := b.Take(tat, now.Add(2*time.Minute)); wait != 0 {
		t.Fatalf("one token back after 2m: wait %v", wait)
	}
	later := now.Add(10 * time.Minute)
	for i := range 5 {
		next, wait := b.Take(tat, later)
		if wait != 0 {
			t.Fatalf("after Every, request %d refused", i+1)
		}
		tat = next
	}
	if _, wait := b.Take(tat, later); wait == 0 {
		t.Fatal("a sixth request after Every went through")
	}
}

func TestPermissionsAndNewUser(t *testing.T) {
	if !Can(Admin, ViewAudit) || Can(Leader, ViewAudit) || Can(Community, ManageOrgs) || Can("nobody", ViewOrgs) {
		t.Fatal("permission table")
	}
	if (User{Role: Admin, Disabled: true}).Can(ViewOrgs) {
		t.Fatal("a disabled user can act")
	}
	hashed, err := HashPassword("long enough")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		n     NewUser
		field string
	}{
		{NewUser{Username: "ok.user", Role: Admin, Password: "long enough"}, ""},
		{NewUser{Username: "X", Role: Admin, Password: "long enough"}, "username"},
		{NewUser{Username: "abc", Role: "mayor", Password: "long enough"}, "role"},
		{NewUser{Username: "abc", Role: Community, Password: "long enough"}, "scope"},
		{NewUser{Username: "abc", Role: Reviewer, Password: "long enough"}, "department"},
		{NewUser{Username: "abc", Role: Admin, DepartmentCode: "gaj", Password: "long enough"}, "department"},
		{NewUser{Username: "abc", Role: Admin, Password: "short"}, "password"},
		{NewUser{Username: "abc", Role: Admin, PasswordHash: hashed}, ""}, // hashed ahead: no password needed
		{NewUser{Username: "abc", Role: Admin, PasswordHash: "long enough"}, "password"},
	}
	for _, c := range cases {
		err := c.n.Validate()
		if c.field == "" && err != nil {
			t.Errorf("%+v: %v", c.n, err)
		}
		if c.field != "" && (err == nil || !strings.Contains(errField(err), c.field)) {
			t.Errorf("%+v: %v, want an error on %s", c.n, err, c.field)
		}
	}
}
