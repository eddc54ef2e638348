package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/huanjie/huanjie/internal/visit"
)

// txMemo is what a write transaction has read and reads again, kept for
// the transaction's life only (a rollback takes it with it): a batch of
// visits, a community's in one transaction, read the community, its path,
// the recorder's name and the round's dates once, not once a visit, which
// on PostgreSQL is a round trip each (issue 17). Nothing kept here is
// changed by the platform's writes except the rounds' dates, which
// SetCampaign forgets.
type txMemo struct {
	communities map[string]int64  // community ids in the transaction's scope, by code
	paths       map[int64]string  // unit paths by id
	names       map[string]string // display names of accounts that exist, by username
	campaigns   []visit.Campaign  // the cycle's rounds; nil until read
}

// communityID is the id of the community with code in the transaction's
// scope (communityInScope); NotFound outside it.
func (t *Tx) communityID(ctx context.Context, code string) (int64, error) {
	if id, ok := t.memo.communities[code]; ok {
		return id, nil
	}
	id, err := communityInScope(ctx, t.tx, t.q.scope, code)
	if err != nil {
		return id, err
	}
	if t.memo.communities == nil {
		t.memo.communities = map[string]int64{}
	}
	t.memo.communities[code] = id
	return id, nil
}

// pathOfID is the path of the unit with id.
func (t *Tx) pathOfID(ctx context.Context, id int64) (string, error) {
	if p, ok := t.memo.paths[id]; ok {
		return p, nil
	}
	var p string
	if err := t.queryRow(ctx, `SELECT path FROM orgs WHERE id = $1`, id).Scan(&p); err != nil {
		return p, err
	}
	if t.memo.paths == nil {
		t.memo.paths = map[int64]string{}
	}
	t.memo.paths[id] = p
	return p, nil
}

// displayName is what byDisplayName gives for username: the account's
// display name, the username itself when no account has it.
func (t *Tx) displayName(ctx context.Context, username string) (string, error) {
	if name, ok := t.memo.names[username]; ok {
		return name, nil
	}
	var name string
	switch err := t.queryRow(ctx, `SELECT display_name FROM users WHERE username = $1`, username).Scan(&name); {
	case errors.Is(err, sql.ErrNoRows):
		return username, nil // not kept: the account may be added later in the transaction
	case err != nil:
		return "", err
	}
	if t.memo.names == nil {
		t.memo.names = map[string]string{}
	}
	t.memo.names[username] = name
	return name, nil
}

// campaignOf is the dates and targets of round r (Scoped.campaignOf).
func (t *Tx) campaignOf(ctx context.Context, r visit.Round) (visit.Campaign, error) {
	if t.memo.campaigns == nil {
		all, err := t.q.campaigns(ctx, t.tx)
		if err != nil {
			return visit.Campaign{}, err
		}
		t.memo.campaigns = all
	}
	return campaignIn(t.memo.campaigns, r)
}
