package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// ImportMembers adds sitting committee members of the cycle, many a
// statement (manyRows), sealing ID and phone numbers; one audit entry
// records the batch. Every member's unit must lie in the transaction's
// scope, checked in one statement for all of them.
func (t *Tx) ImportMembers(ctx context.Context, members []org.Member) error {
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return err
	}
	units := map[int64]bool{}
	for _, m := range members {
		units[m.OrgID] = true
	}
	orgIDs := slices.Sorted(maps.Keys(units))
	if len(orgIDs) > 0 {
		lo, hi := t.q.scope.Bounds()
		args := []any{lo, hi}
		inScope, err := setOf[int64](ctx, t.tx, `SELECT id FROM orgs WHERE `+t.s.anyID("id", &args, orgIDs)+` AND path >= $1 AND path < $2`, args...)
		if err != nil {
			return err
		}
		if len(inScope) != len(orgIDs) {
			return errs.New(errs.NotFound, "两委成员所在的组织不存在或不在管辖范围内")
		}
	}
	if t.s.box == nil {
		return fmt.Errorf("store opened without a data key cannot hold personal data")
	}
	box := t.s.box
	err = t.insertRows(ctx, "members", strings.Fields(`org_id cycle_id name sex birth_date committee post party_member education
		id_number_enc id_number_index phone_enc demo`), len(members), func(i int) ([]any, error) {
		m := members[i]
		return []any{m.OrgID, cycleID, m.Name, m.Sex, m.BirthDate, string(m.Committee), m.Post, m.PartyMember, m.Education,
			box.Seal(m.IDNumber), box.Index(m.IDNumber), box.Seal(m.Phone), m.Demo}, nil
	})
	if err != nil {
		return err
	}
	if err := t.countMembers(ctx, cycleID, orgIDs); err != nil {
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
	out := make([]org.Member, 0, 16) // a community's two committees
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
