package account

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/huanjie/huanjie/internal/errs"
)

// argon2id parameters: OWASP's first choice (19 MiB, 2 passes, 1 lane). They
// are stored with each hash, so raising them later keeps old hashes valid.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password the policy accepts.
const MinPasswordLength = 10

// commonList is the list of common passwords the policy refuses: Mark
// Burnett's 10,000 most common passwords and a few common in Chinese leaks
// (the file's header names the source).
//
//go:embed common_passwords.txt
var commonList string

// common is commonList as a set, lower-cased.
var common = func() map[string]struct{} {
	m := make(map[string]struct{}, 8000)
	sc := bufio.NewScanner(strings.NewReader(commonList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	return m
}()

// IsCommonPassword reports whether pw, ignoring case, is on the list of
// common passwords.
func IsCommonPassword(pw string) bool {
	_, ok := common[strings.ToLower(strings.TrimSpace(pw))]
	return ok
}

// CheckPassword enforces the password policy for the account username: at
// least MinPasswordLength characters, at most 128, not one of the common
// passwords, and neither the username nor containing it (ignoring case).
// Errors name the field "password".
func CheckPassword(pw, username string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return errs.OnField("password", fmt.Sprintf("密码至少%d位", MinPasswordLength))
	}
	if n > 128 {
		return errs.OnField("password", "密码不超过128位")
	}
	if IsCommonPassword(pw) {
		return errs.OnField("password", "密码过于常见,容易被猜中,请换一个")
	}
	if u := strings.ToLower(strings.TrimSpace(username)); u != "" && strings.Contains(strings.ToLower(pw), u) {
		return errs.OnField("password", "密码不能包含用户名")
	}
	return nil
}

// testingCost is set by UseTestingCost.
var testingCost atomic.Bool

// UseTestingCost makes the hashes HashPassword makes from now on use
// argon2id's least cost (8 KiB, one pass) in place of the platform's, for
// the rest of a test binary's run: the tests create and log into thousands
// of accounts, at about 50 ms of CPU each on the platform's parameters (a
// quarter of the web tests' CPU). Every hash records its parameters and
// VerifyPassword reads them from it, so logging in takes the platform's own
// path; the unknown user's hash (dummyHash), made before, keeps the
// platform's. It panics outside a test binary: a server never hashes cheaply.
func UseTestingCost() {
	if !testing.Testing() {
		panic("account.UseTestingCost outside a test binary")
	}
	testingCost.Store(true)
}

// HashPassword returns an encoded argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	memory, passes := uint32(argonMemory), uint32(argonTime)
	if testingCost.Load() {
		memory, passes = 8, 1
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memory, passes, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches an encoded hash.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a username is unknown, so that a wrong
// username takes as long as a wrong password.
var dummyHash, _ = HashPassword("huanjie-dummy-password")

// VerifyUnknown spends the time of one verification and reports false.
func VerifyUnknown(pw string) bool {
	VerifyPassword(dummyHash, pw)
	return false
}

// RandomPassword returns a password of n characters for generated accounts,
// avoiding characters that are easy to confuse on paper.
func RandomPassword(n int) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
