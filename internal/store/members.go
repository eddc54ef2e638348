package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/org"
)

// ImportMembers adds sitting committee members of the cycle in one statement
// per member, sealing ID and phone numbers; one audit entry records the
// batch. Every member's unit must lie in the transaction's scope.
func (t *Tx) ImportMembers(ctx context.Context, members []org.Member) error {
	t.filled("members", len(members))
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	lo, hi := t.q.scope.Bounds()
	inScope := map[int64]bool{}
	for _, m := range members {
		if inScope[m.OrgID] {
			continue
		}
		var ok int
		if err := t.queryRow(ctx, `SELECT 1 FROM orgs WHERE id = $1 AND path >= $2 AND path < $3`, m.OrgID, lo, hi).Scan(&ok); err != nil {
			return notFound(err, "两委成员所在的组织不存在或不在管辖范围内")
		}
		inScope[m.OrgID] = true
	}
	if t.s.box == nil {
		return fmt.Errorf("store opened without a data key cannot hold personal data")
	}
	stmt, err := t.tx.PrepareContext(ctx, `INSERT INTO members (org_id, cycle_id, name, sex, birth_date, committee, post,
		party_member, education, id_number_enc, id_number_index, phone_enc, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	box := t.s.box
	for _, m := range members {
		if _, err := stmt.ExecContext(ctx, m.OrgID, cycleID, m.Name, m.Sex, m.BirthDate, string(m.Committee), m.Post,
			m.PartyMember, m.Education, box.Seal(m.IDNumber), box.Index(m.IDNumber), box.Seal(m.Phone), m.Demo); err != nil {
			return fmt.Errorf("member %s: %w", m.Name, err)
		}
	}
	if err := t.countMembers(ctx, cycleID, slices.Collect(maps.Keys(inScope))); err != nil {
		return err
	}
	return t.Audit(ctx, audit.MemberImport, On("member", "", ""), nil, audit.Fields{"count": len(members), "cycle": cycleID})
}

// Members returns the sitting members of a community in scope in the cycle,
// with ID and phone numbers masked.
func (q *Scoped) Members(ctx context.Context, orgCode string) ([]org.Member, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi := q.scope.Bounds()
	rows, err := q.s.db.QueryContext(ctx, `SELECT m.id, m.org_id, m.name, m.sex, m.birth_date, m.committee, m.post,
		m.party_member, m.education, m.id_number_enc, m.phone_enc, m.demo
		FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE o.code = $1 AND o.path >= $2 AND o.path < $3 AND m.cycle_id = $4
		ORDER BY m.committee, m.id`, orgCode, lo, hi, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Member
	for rows.Next() {
		var m org.Member
		var idEnc, phoneEnc string
		if err := rows.Scan(&m.ID, &m.OrgID, &m.Name, &m.Sex, &m.BirthDate, &m.Committee, &m.Post,
			&m.PartyMember, &m.Education, &idEnc, &phoneEnc, &m.Demo); err != nil {
			return nil, err
		}
		if m.IDNumber, err = q.s.openMasked(idEnc, audit.MaskIDNumber); err != nil {
			return nil, err
		}
		if m.Phone, err = q.s.openMasked(phoneEnc, audit.MaskPhone); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) openMasked(sealed string, mask func(string) string) (string, error) {
	if s.box == nil || sealed == "" {
		return "", nil
	}
	plain, err := s.box.Open(sealed)
	if err != nil {
		return "", fmt.Errorf("open personal data: %w", err)
	}
	return mask(plain), nil
}
