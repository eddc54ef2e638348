package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/secret"
)

// WrongDataKeyError refuses a data key the database was not sealed with:
// Want is the fingerprint the database records ("" when it records none
// but holds values the key does not open), Got the offered key's.
type WrongDataKeyError struct{ Want, Got string }

func (e *WrongDataKeyError) Error() string {
	if e.Want == "" {
		return "数据密钥与数据库不符:这个数据库里的身份证号、电话是用另一把数据密钥加密的(指纹 " + e.Got + " 的密钥打不开它们)"
	}
	return "数据密钥与数据库不符:这个数据库的身份证号、电话是用指纹为 " + e.Want + " 的数据密钥加密的,给出的密钥指纹是 " + e.Got
}

// sealedColumns are every column sealed with the data key, and the lookup
// hash keyed with it beside some of them (column "" for none): all that a
// key rotation seals anew.
var sealedColumns = []struct{ table, sealed, index string }{
	{"aspirants", "id_sealed", "id_index"},
	{"aspirants", "phone_sealed", ""},
	{"members", "id_number_enc", "id_number_index"},
	{"members", "phone_enc", ""},
	{"assignments", "phone_enc", ""},
	{"tips", "contact_sealed", ""},
}

// DataKeyCheck returns the fingerprint of the data key the database
// records, "" for none, and whether it holds any sealed value: a database
// that does must never get a new key.
func (s *Store) DataKeyCheck(ctx context.Context) (check string, sealed bool, err error) {
	if err := s.db.QueryRowContext(ctx, `SELECT data_key_check FROM audit_meta WHERE id = 1`).Scan(&check); err != nil {
		return "", false, fmt.Errorf("data key check: %w", err)
	}
	samples, err := s.sealedSamples(ctx)
	return check, len(samples) > 0, err
}

// sealedSamples returns one sealed value of each sealed column that holds any.
func (s *Store) sealedSamples(ctx context.Context) ([]string, error) {
	var out []string
	for _, c := range sealedColumns {
		var v string
		err := s.db.QueryRowContext(ctx, `SELECT `+c.sealed+` FROM `+c.table+` WHERE `+c.sealed+` <> '' LIMIT 1`).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// AttachDataKey makes box the key that seals and opens personal data. A key
// whose fingerprint is not the one the database records is refused with a
// *WrongDataKeyError. A database that records none yet (new, or from before
// migration 00011) takes box's fingerprint, once box opens every kind of
// value it holds sealed.
func (s *Store) AttachDataKey(ctx context.Context, box *secret.Box) error {
	check, _, err := s.DataKeyCheck(ctx)
	if err != nil {
		return err
	}
	if check != "" && check != box.Check() {
		return &WrongDataKeyError{Want: check, Got: box.Check()}
	}
	if check == "" {
		samples, err := s.sealedSamples(ctx)
		if err != nil {
			return err
		}
		for _, v := range samples {
			if _, err := box.Open(v); err != nil {
				return &WrongDataKeyError{Got: box.Check()}
			}
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE audit_meta SET data_key_check = $1 WHERE id = 1 AND data_key_check = ''`,
			box.Check()); err != nil {
			return fmt.Errorf("data key check: %w", err)
		}
	}
	s.box = box
	return nil
}

// DataKeyRotation is what RotateDataKey sealed anew.
type DataKeyRotation struct {
	From, To string // fingerprints
	Values   int    // sealed values and lookup hashes rewritten
}

// RotateDataKey seals every sealed value anew under next and keys every
// lookup hash with it, records next's fingerprint and audits the rotation,
// all in one transaction on behalf of actor; from then on the store uses
// next. The caller writes next's key file once this returns without error.
// The server must not run meanwhile: it would go on sealing with the old key.
func (s *Store) RotateDataKey(ctx context.Context, actor Actor, next *secret.Box) (DataKeyRotation, error) {
	r := DataKeyRotation{To: next.Check()}
	if s.box == nil {
		return r, errors.New("store opened without a data key cannot rotate it")
	}
	old := s.box
	r.From = old.Check()
	if r.From == r.To {
		return r, errors.New("the new data key is the old one")
	}
	counts := audit.Fields{}
	err := s.Zone(actor).Write(ctx, func(tx *Tx) error {
		r.Values = 0
		for _, c := range sealedColumns {
			n, err := tx.reseal(ctx, c.table, c.sealed, c.index, old, next)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", c.table, c.sealed, err)
			}
			counts[c.table] = n + toInt(counts[c.table])
			r.Values += n
		}
		res, err := tx.exec(ctx, `UPDATE audit_meta SET data_key_check = $1 WHERE id = 1 AND data_key_check = $2`, r.To, r.From)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("the database's data key changed under the rotation (%d rows, %v)", n, err)
		}
		counts["key"] = r.To
		return tx.Audit(ctx, audit.DataKeyRotate, On("key", "data", ""), audit.Fields{"key": r.From}, counts)
	})
	if err != nil {
		return r, err
	}
	s.box = next
	return r, nil
}

// reseal seals the values of one column anew under next (and its lookup
// hash, if any) and returns how many it rewrote.
func (t *Tx) reseal(ctx context.Context, table, sealed, index string, old, next *secret.Box) (int, error) {
	type row struct {
		id    int64
		plain string
	}
	var rows []row
	q, err := t.tx.QueryContext(ctx, `SELECT id, `+sealed+` FROM `+table+` WHERE `+sealed+` <> '' ORDER BY id`)
	if err != nil {
		return 0, err
	}
	for q.Next() {
		var r row
		var v string
		if err := q.Scan(&r.id, &v); err != nil {
			q.Close()
			return 0, err
		}
		if r.plain, err = old.Open(v); err != nil {
			q.Close()
			return 0, fmt.Errorf("row %d: %w", r.id, err)
		}
		rows = append(rows, r)
	}
	q.Close()
	if err := q.Err(); err != nil {
		return 0, err
	}
	set := sealed + ` = $1`
	if index != "" {
		set += `, ` + index + ` = $3`
	}
	stmt, err := t.tx.PrepareContext(ctx, `UPDATE `+table+` SET `+set+` WHERE id = $2`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	for _, r := range rows {
		args := []any{next.Seal(r.plain), r.id}
		if index != "" {
			args = append(args, next.Index(r.plain))
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return 0, fmt.Errorf("row %d: %w", r.id, err)
		}
	}
	return len(rows), nil
}

func toInt(v any) int {
	n, _ := v.(int)
	return n
}
