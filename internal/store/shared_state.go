package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/account"
)

// What the platform's servers share when an office runs more than one on
// one database: rate limits and annotated import workbooks. Neither is a
// record of the election, so neither is audited (the download of a
// workbook is, by the web layer); both are written outside Write.

// Throttle charges one request to each bucket of take, all or none,
// provided each bucket of peek has a token too (left in it). It returns 0
// when the request may go on, else how long until it may. Buckets are
// locked in key order, so servers charging the same buckets at once queue
// instead of overwriting each other's counts.
func (s *Store) Throttle(ctx context.Context, take, peek []account.Bucket) (time.Duration, error) {
	all := slices.Concat(take, peek)
	slices.SortFunc(all, func(a, b account.Bucket) int { return strings.Compare(a.Key, b.Key) })
	all = slices.CompactFunc(all, func(a, b account.Bucket) bool { return a.Key == b.Key })
	if len(all) == 0 {
		return 0, nil
	}
	now := s.clock()
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer release()
	defer tx.Rollback()
	var rows, keys strings.Builder
	args := make([]any, len(all))
	for i, b := range all {
		if i > 0 {
			rows.WriteString(", ")
			keys.WriteString(", ")
		}
		n := "$" + strconv.Itoa(i+1)
		rows.WriteString("(" + n + ", 0)")
		keys.WriteString(n)
		args[i] = b.Key
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rate_limits (bucket, tat) VALUES `+rows.String()+
		` ON CONFLICT (bucket) DO NOTHING`, args...); err != nil {
		return 0, fmt.Errorf("rate limits: %w", err)
	}
	tats := map[string]time.Time{}
	err = eachRow(ctx, tx, `SELECT bucket, tat FROM rate_limits WHERE bucket IN (`+keys.String()+`) ORDER BY bucket`+s.forUpdate(),
		func(r *sql.Rows) error {
			var key string
			var tat int64
			if err := r.Scan(&key, &tat); err != nil {
				return err
			}
			tats[key] = time.Unix(0, tat)
			return nil
		}, args...)
	if err != nil {
		return 0, fmt.Errorf("rate limits: %w", err)
	}
	var refused time.Duration
	for _, b := range peek {
		_, wait := b.Take(tats[b.Key], now)
		refused = max(refused, wait)
	}
	next := map[string]time.Time{}
	for _, b := range take {
		tat, wait := b.Take(tats[b.Key], now)
		refused = max(refused, wait)
		next[b.Key] = tat
	}
	if refused > 0 {
		return refused, nil
	}
	for key, tat := range next {
		if _, err := tx.ExecContext(ctx, `UPDATE rate_limits SET tat = $1 WHERE bucket = $2`, tat.UnixNano(), key); err != nil {
			return 0, fmt.Errorf("rate limits: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return 0, nil
}

// AnnotatedLifetime is how long a refused import's annotated workbook may
// be downloaded; MaxAnnotated how many are kept at most (the oldest go
// first), whatever their size, each at most the upload limit.
const (
	AnnotatedLifetime = 30 * time.Minute
	MaxAnnotated      = 50
)

// KeepAnnotated keeps the workbook b, annotated with an import's errors,
// for the account owner to download (Annotated) and returns its token.
// It is sealed with the data key together with its owner and the token's
// hash; only the hash is stored.
func (s *Store) KeepAnnotated(ctx context.Context, owner int64, b []byte) (string, error) {
	if s.box == nil {
		return "", errors.New("store: no data key to seal an annotated workbook")
	}
	raw := make([]byte, 16)
	rand.Read(raw) // never fails
	token := hex.EncodeToString(raw)
	hash := account.TokenHash(token)
	now := s.clock()
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return "", fmt.Errorf("begin: %w", err)
	}
	defer release()
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM annotated_files WHERE expires_at < $1`, now); err != nil {
		return "", fmt.Errorf("annotated workbooks: %w", err)
	}
	var kept int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM annotated_files`).Scan(&kept); err != nil {
		return "", fmt.Errorf("annotated workbooks: %w", err)
	}
	if kept >= MaxAnnotated {
		if _, err := tx.ExecContext(ctx, `DELETE FROM annotated_files WHERE token_hash IN
			(SELECT token_hash FROM annotated_files ORDER BY expires_at, token_hash LIMIT $1)`, kept-MaxAnnotated+1); err != nil {
			return "", fmt.Errorf("annotated workbooks: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO annotated_files (token_hash, owner_id, body, expires_at) VALUES ($1, $2, $3, $4)`,
		hash, owner, s.box.Seal(annotatedLabel(owner, hash)+string(b)), now.Add(AnnotatedLifetime)); err != nil {
		return "", fmt.Errorf("annotated workbooks: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("commit: %w", err)
	}
	return token, nil
}

// Annotated returns the workbook kept under token when owner made it and
// it has not expired; ok is false otherwise.
func (s *Store) Annotated(ctx context.Context, owner int64, token string) (b []byte, ok bool, err error) {
	hash := account.TokenHash(token)
	var sealed string
	err = s.db.QueryRowContext(ctx, `SELECT body FROM annotated_files WHERE token_hash = $1 AND owner_id = $2 AND expires_at >= $3`,
		hash, owner, s.clock()).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	plain, err := s.box.Open(sealed)
	if err != nil {
		return nil, false, fmt.Errorf("annotated workbook: %w", err)
	}
	body, found := strings.CutPrefix(plain, annotatedLabel(owner, hash))
	if !found {
		return nil, false, errors.New("annotated workbook: sealed for another account or token")
	}
	return []byte(body), true, nil
}

// annotatedLabel is sealed before a workbook's bytes: whose it is and
// under which token.
func annotatedLabel(owner int64, hash string) string {
	return strconv.FormatInt(owner, 10) + "\x00" + hash + "\x00"
}

// purgeShared drops expired annotated workbooks and full rate buckets.
func (s *Store) purgeShared(ctx context.Context, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM annotated_files WHERE expires_at < $1`, now); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE tat < $1`, now.UnixNano())
	return err
}
