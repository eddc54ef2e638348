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

// Throttle charges one request to each bucket of take (distinct keys), all
// or none, provided each bucket of peek has a token too (left in it). It returns 0
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
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer release()
	defer tx.Rollback()
	keys := make([]any, len(all))
	for i, b := range all {
		keys[i] = b.Key
	}
	tats, err := s.lockBuckets(ctx, tx, keys)
	if err == nil && len(tats) < len(keys) { // a bucket used for the first time
		fresh := make([]any, 0, 2*len(keys))
		for _, k := range keys {
			fresh = append(fresh, k, 0)
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO rate_limits (bucket, tat) VALUES `+rowsOf(len(keys), 2)+
			` ON CONFLICT (bucket) DO NOTHING`, fresh...); err == nil {
			tats, err = s.lockBuckets(ctx, tx, keys)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("rate limits: %w", err)
	}
	// The time once the buckets are held: a request that waited for
	// another's lock is charged when it holds them, after it, so no wait
	// comes out longer than the bucket's (the other's charge at a later
	// moment than this request's own reading of the clock).
	now := s.clock()
	var refused time.Duration
	for _, b := range peek {
		_, wait := b.Take(tats[b.Key], now)
		refused = max(refused, wait)
	}
	next := make([]any, 0, 2*len(take))
	for _, b := range take {
		tat, wait := b.Take(tats[b.Key], now)
		refused = max(refused, wait)
		next = append(next, b.Key, tat.UnixNano())
	}
	if refused > 0 || len(take) == 0 {
		return refused, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rate_limits (bucket, tat) VALUES `+rowsOf(len(take), 2)+
		` ON CONFLICT (bucket) DO UPDATE SET tat = excluded.tat`, next...); err != nil {
		return 0, fmt.Errorf("rate limits: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return 0, nil
}

// lockBuckets reads the buckets named by keys that exist, locking them
// (FOR UPDATE on PostgreSQL; SQLite's write transactions run one at a
// time), in key order.
func (s *Store) lockBuckets(ctx context.Context, tx *dbTx, keys []any) (map[string]time.Time, error) {
	tats := map[string]time.Time{}
	err := eachRow(ctx, tx, `SELECT bucket, tat FROM rate_limits WHERE bucket IN (`+rowsOf(len(keys), 1)+`) ORDER BY bucket`+s.forUpdate(),
		func(r *sql.Rows) error {
			var key string
			var tat int64
			if err := r.Scan(&key, &tat); err != nil {
				return err
			}
			tats[key] = time.Unix(0, tat)
			return nil
		}, keys...)
	return tats, err
}

// rowsOf is the placeholders of n rows of width values: rowsOf(2, 2) is
// "($1, $2), ($3, $4)", and rowsOf(2, 1) the list "$1, $2".
func rowsOf(n, width int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if width > 1 {
			b.WriteString("(")
		}
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i*width+c+1))
		}
		if width > 1 {
			b.WriteString(")")
		}
	}
	return b.String()
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
	raw := make([]byte, 16) // in hex, as the links have always had it
	rand.Read(raw)          // never fails
	token := hex.EncodeToString(raw)
	hash := account.TokenHash(token)
	now := s.clock()
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return "", fmt.Errorf("begin: %w", err)
	}
	defer release()
	defer tx.Rollback()
	// The expired go, and all but the newest MaxAnnotated-1, to make room.
	if _, err := tx.ExecContext(ctx, `DELETE FROM annotated_files WHERE expires_at < $1 OR token_hash NOT IN
		(SELECT token_hash FROM annotated_files ORDER BY expires_at DESC, token_hash DESC LIMIT $2)`, now, MaxAnnotated-1); err != nil {
		return "", fmt.Errorf("annotated workbooks: %w", err)
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
