package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
)

// ErrBadLogin is the one answer to a wrong username or a wrong password, so
// that the two cannot be told apart.
var ErrBadLogin = errs.New(errs.Unauthorized, "用户名或密码不正确")

// Login checks a username and password and, when they match, opens a session
// and returns the user and the session secret for the cookie. client names
// the caller's address for throttling; only a keyed hash of it is stored
// (ClientHash). Failures count towards three locks (account.Attempts):
// the account from this source (account.MaxFailures), this source on any
// account (account.MaxClientFailures) and the account from anywhere
// (account.MaxAccountFailures, a ceiling far above what one source may try),
// so that a stranger cannot lock a user out from another address.
// previous is the session secret the browser still held, if any: it is ended,
// so that every login starts a new session.
func (s *Store) Login(ctx context.Context, username, password, client, previous string) (account.User, string, error) {
	now := s.clock()
	source := account.SourceOf(client)
	accountKey := s.accountKey(username)
	keys := []string{
		"src:" + s.ClientHash("login-source", username+"\x00"+source),
		"client:" + s.ClientHash("login-client", source),
		accountKey,
	}
	limits := []int{account.MaxFailures, account.MaxClientFailures, account.MaxAccountFailures}
	for _, k := range keys {
		a, err := attempts(s.db.QueryRowContext(ctx, attemptsQuery, k))
		if err != nil {
			return account.User{}, "", err
		}
		if a.Locked(now) {
			mins := int(a.LockedUntil.Sub(now).Minutes()) + 1
			return account.User{}, "", errs.Newf(errs.TooMany, "登录失败次数过多,请 %d 分钟后再试", mins)
		}
	}
	var id int64
	var hash, unit string // unit: the account's scope, whose admins may read its logins
	var disabled bool
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.password_hash, u.disabled, COALESCE(o.code, '') FROM users u
		LEFT JOIN orgs o ON o.id = u.scope_org_id WHERE u.username = $1`, username).Scan(&id, &hash, &disabled, &unit)
	ok := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
		account.VerifyUnknown(password)
	case err != nil:
		return account.User{}, "", err
	default:
		ok = account.VerifyPassword(hash, password) && !disabled
	}
	if !ok {
		err := s.Zone(Public).Write(ctx, func(tx *Tx) error {
			for i, k := range keys {
				// The record is locked before it is read (PostgreSQL; on
				// SQLite writes run one at a time), so that failures at
				// once, on this server or another, each count.
				if _, err := tx.exec(ctx, `INSERT INTO login_attempts (attempt_key, failures, first_at, locked_until)
					VALUES ($1, 0, $2, $2) ON CONFLICT (attempt_key) DO NOTHING`, k, now); err != nil {
					return err
				}
				a, err := attempts(tx.queryRow(ctx, attemptsQuery+s.forUpdate(), k))
				if err != nil {
					return err
				}
				a = a.Fail(now, limits[i])
				// The account's records carry its key, so that an office
				// can unlock it (UnlockUser); the source's record does not.
				var owner sql.NullString
				if i != 1 {
					owner = sql.NullString{String: accountKey, Valid: true}
				}
				if _, err := tx.exec(ctx, `INSERT INTO login_attempts (attempt_key, failures, first_at, locked_until, account_key)
					VALUES ($1, $2, $3, $4, $5) ON CONFLICT (attempt_key) DO UPDATE
					SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until,
					account_key = excluded.account_key`,
					k, a.Failures, a.FirstAt, a.LockedUntil, owner); err != nil {
					return err
				}
			}
			return tx.Audit(ctx, audit.LoginFail, On("user", username, unit), nil, nil)
		})
		if err != nil {
			return account.User{}, "", err
		}
		return account.User{}, "", ErrBadLogin
	}
	secret := account.NewSecret()
	err = s.Zone(Actor{ID: id, Name: username}).Write(ctx, func(tx *Tx) error {
		// A right password clears this source's failures on the account; the
		// account's ceiling runs out with its window, so that a distributed
		// guesser's count is not reset by its owner's logins.
		if _, err := tx.exec(ctx, `DELETE FROM login_attempts WHERE attempt_key = $1`, keys[0]); err != nil {
			return err
		}
		if previous != "" {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, account.TokenHash(previous)); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			account.TokenHash(secret), id, now, now.Add(account.SessionLifetime)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Login, On("user", username, unit), nil, nil)
	})
	if err != nil {
		return account.User{}, "", err
	}
	u, err := s.UserByID(ctx, id)
	return u, secret, err
}

// accountKey is the throttling key of username from all sources; it also
// marks the account's other lockout records (account_key).
func (s *Store) accountKey(username string) string {
	return "user:" + s.ClientHash("login-user", username)
}

// processClientKey keys ClientHash for a store opened without a data key
// (tools and tests that hold no personal data): such a store's hashes do not
// outlive the process.
var processClientKey = func() []byte {
	k := make([]byte, 32)
	rand.Read(k) // never fails
	return k
}()

// ClientHash is the keyed hash under which a client address (or an
// account and address) is counted for login throttling and rate limits:
// HMAC-SHA256 under a key derived from the instance's data key, with
// purpose separating the uses. Without the data key the 2^32 IPv4
// addresses cannot be tried against a stored hash; with the key it is the
// same across restarts and servers, so a lock holds.
func (s *Store) ClientHash(purpose, value string) string {
	key := processClientKey
	if s.box != nil {
		key = []byte(s.box.Index("huanjie client hash key v1"))
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

const attemptsQuery = `SELECT failures, first_at, locked_until FROM login_attempts WHERE attempt_key = $1`

func attempts(row *sql.Row) (account.Attempts, error) {
	var a account.Attempts
	err := row.Scan(&a.Failures, &a.FirstAt, &a.LockedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return account.Attempts{}, nil
	}
	return a, err
}

// sessionUser is the user of live session $1 (its token's hash) at $2, and the session's end.
const sessionUser = byKey + `SELECT ` + userColumns + `, s.expires_at` + userJoins + `
	JOIN sessions s ON s.user_id = u.id
	WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = FALSE`

// SessionUser returns the user of a live session; Unauthorized if the secret
// names no live session or the user is disabled.
// A session read in the last second answers from memory (session_cache.go).
func (s *Store) SessionUser(ctx context.Context, secret string) (account.User, error) {
	h, now := account.TokenHash(secret), s.clock()
	u, gen, ok := s.sessions.get(h, now)
	if ok {
		return u, nil
	}
	var expires time.Time
	u, err := scanUser(s.db.QueryRowContext(ctx, sessionUser, h, now), &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, errs.New(errs.Unauthorized, "请先登录")
	}
	if err == nil {
		s.sessions.put(h, gen, u, expires)
	}
	return u, err
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, u account.User, secret string) error {
	return s.Zone(Actor{ID: u.ID, Name: u.Username}).Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, account.TokenHash(secret)); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Logout, On("user", u.Username, u.ScopeCode), nil, nil)
	})
}

// PurgeSessions deletes expired sessions, stale login failures, full rate
// buckets and expired annotated workbooks. It is housekeeping of
// credentials and passing state, not a change of record, so it is not
// audited.
func (s *Store) PurgeSessions(ctx context.Context) error {
	now := s.clock()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_attempts WHERE locked_until < $1 AND first_at < $2`,
		now, now.Add(-account.FailureWindow)); err != nil {
		return err
	}
	return s.purgeShared(ctx, now)
}

// CreateAPIToken makes a token for the user and returns it with its secret,
// which is shown once and never stored.
func (t *Tx) CreateAPIToken(ctx context.Context, u account.User, name string) (account.APIToken, string, error) {
	if name == "" || len([]rune(name)) > 40 {
		return account.APIToken{}, "", errs.OnField("name", "令牌名称不能为空,且不超过40个字")
	}
	secret := account.APITokenPrefix + account.NewSecret()
	tok := account.APIToken{UserID: u.ID, Name: name, CreatedAt: t.s.clock()}
	err := t.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		u.ID, name, account.TokenHash(secret), tok.CreatedAt).Scan(&tok.ID)
	if err != nil {
		return account.APIToken{}, "", err
	}
	return tok, secret, t.Audit(ctx, audit.TokenCreate, On("api_token", strconv.FormatInt(tok.ID, 10), u.ScopeCode), nil,
		audit.Fields{"name": name, "user": u.Username})
}

// RevokeAPIToken revokes one of the user's tokens; NotFound if it is not theirs.
func (t *Tx) RevokeAPIToken(ctx context.Context, u account.User, id int64) error {
	res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
		t.s.clock(), id, u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.NotFound, "没有找到该令牌")
	}
	return t.Audit(ctx, audit.TokenRevoke, On("api_token", strconv.FormatInt(id, 10), u.ScopeCode), nil, audit.Fields{"user": u.Username})
}

// APITokens lists the user's live tokens.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]account.APIToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, created_at FROM api_tokens
		WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		var t account.APIToken
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TokenUser returns the user of a live API token; Unauthorized otherwise.
func (s *Store) TokenUser(ctx context.Context, secret string) (account.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+userJoins+`
		JOIN api_tokens t ON t.user_id = u.id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = FALSE`, account.TokenHash(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, errs.New(errs.Unauthorized, "接口令牌无效或已撤销")
	}
	return u, err
}
