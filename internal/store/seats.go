package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/slate"
)

// CommunitySeats are a community's two committees' seats in the cycle: a
// committee whose seats are not set yet is absent.
type CommunitySeats struct {
	Code, Name string
	Seats      map[org.Committee]slate.Seats
}

// Seats returns the seats of the community with code in scope.
func (q *Scoped) Seats(ctx context.Context, code string) (CommunitySeats, error) {
	cycleID, err := q.cycleID(ctx)
	if err != nil {
		return CommunitySeats{}, err
	}
	lo, hi := q.scope.Bounds()
	out := CommunitySeats{Code: code, Seats: map[org.Committee]slate.Seats{}}
	var orgID int64
	err = q.s.db.QueryRowContext(ctx, `SELECT id, name FROM orgs WHERE code = $1 AND kind = 'community' AND path >= $2 AND path < $3`,
		code, lo, hi).Scan(&orgID, &out.Name)
	if err != nil {
		return out, notFound(err, "没有找到该社区")
	}
	rows, err := q.s.db.QueryContext(ctx, `SELECT committee, full_members, body, chief, deputies, members FROM seats
		WHERE cycle_id = $1 AND org_id = $2`, cycleID, orgID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var s slate.Seats
		if err := rows.Scan(&s.Committee, &s.FullMembers, &s.Body, &s.Chief, &s.Deputies, &s.Members); err != nil {
			return out, err
		}
		out.Seats[s.Committee] = s
	}
	return out, rows.Err()
}

// SetSeats sets the seats of one committee of the community with code in
// the transaction's scope, refused when unlawful (slate.Validate). Audited
// with the seats before.
func (t *Tx) SetSeats(ctx context.Context, code string, s slate.Seats) (slate.Seats, error) {
	if s.Committee == org.PartyCommittee {
		s.Body = ""
	} else {
		s.FullMembers = 0
	}
	if err := slate.Validate(s); err != nil {
		return s, err
	}
	cycleID, err := t.cycleID(ctx)
	if err != nil {
		return s, err
	}
	orgID, err := t.communityID(ctx, code)
	if err != nil {
		return s, err
	}
	var before audit.Fields
	var old slate.Seats
	err = t.queryRow(ctx, `SELECT full_members, body, chief, deputies, members FROM seats WHERE cycle_id = $1 AND org_id = $2 AND committee = $3`,
		cycleID, orgID, string(s.Committee)).Scan(&old.FullMembers, &old.Body, &old.Chief, &old.Deputies, &old.Members)
	switch {
	case err == nil:
		before = seatFields(old)
	case !errors.Is(err, sql.ErrNoRows):
		return s, err
	}
	if _, err := t.exec(ctx, `INSERT INTO seats (cycle_id, org_id, committee, full_members, body, chief, deputies, members, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (cycle_id, org_id, committee) DO UPDATE SET full_members = excluded.full_members, body = excluded.body,
		chief = excluded.chief, deputies = excluded.deputies, members = excluded.members, set_by = excluded.set_by, set_at = excluded.set_at`,
		cycleID, orgID, string(s.Committee), s.FullMembers, string(s.Body), s.Chief, s.Deputies, s.Members, t.q.actor.Name, t.s.clock()); err != nil {
		return s, err
	}
	after := seatFields(s)
	after["committee"] = string(s.Committee)
	return s, t.Audit(ctx, audit.SeatsSet, On("community", code, code), before, after)
}

func seatFields(s slate.Seats) audit.Fields {
	return audit.Fields{"full_members": s.FullMembers, "body": string(s.Body), "chief": s.Chief, "deputies": s.Deputies, "members": s.Members}
}
