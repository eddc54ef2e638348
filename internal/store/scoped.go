package store

import (
	"context"
	"sync"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
)

// Scoped is the store as one request sees it: who acts, the subtree they
// may see, their department and the campaign cycle. Every read on a Scoped
// is bounded by them inside its SQL, and every write through Write is
// checked against them, so a handler never passes a scope or a cycle by
// hand and cannot pass the wrong one. Changes of the whole zone's settings
// (rules, checklists, stage templates, the zone meeting) need ZoneWide.
type Scoped struct {
	s     *Store
	user  account.User
	actor Actor
	scope org.Scope
	zone  bool
	// dayOnly dates audit entries at the start of their day: a public tip's
	// entry must not tell the moment it was sent.
	dayOnly bool

	mu     sync.Mutex
	cycle  org.Cycle
	loaded bool
	// readOnly: q reads an earlier cycle (InCycle) and may not write.
	readOnly bool
}

// For is the store as the signed-in user u sees it, in the current cycle.
// An account of any role without a scope sees the whole tree; only an admin
// without a scope may change zone-wide settings. Nobody signed in (the
// zero User, on public routes) sees nothing.
func (s *Store) For(u account.User) *Scoped {
	if u.ID == 0 || u.Disabled {
		return &Scoped{s: s, actor: Public}
	}
	return &Scoped{s: s, user: u, actor: Actor{ID: u.ID, Name: u.Username}, scope: u.Scope(),
		zone: u.Role == account.Admin && u.ScopePath == ""}
}

// Zone is the store as the platform itself acts, for the whole tree with
// zone-wide rights: the command line, the demo loader, tests.
func (s *Store) Zone(actor Actor) *Scoped {
	return &Scoped{s: s, actor: actor, scope: org.All, zone: true}
}

// User is the signed-in user; the zero User for the platform's own acts.
func (q *Scoped) User() account.User { return q.user }

// Department is the vetting department of a reviewer, "" for other roles.
func (q *Scoped) Department() string { return q.user.DepartmentCode }

// ZoneWide reports whether q may change the settings of the whole zone.
func (q *Scoped) ZoneWide() bool { return q.zone }

// Can reports whether q may do p: the user's role decides; the platform's
// own acts may do everything.
func (q *Scoped) Can(p account.Permission) bool {
	if q.user.ID == 0 && q.zone {
		return true
	}
	return q.user.Can(p)
}

// Cycle is the campaign cycle q works in, read once.
func (q *Scoped) Cycle(ctx context.Context) (org.Cycle, error) { return q.cycleOn(ctx, q.s.db) }

// cycleOn is Cycle, read on db when q has not read it yet.
func (q *Scoped) cycleOn(ctx context.Context, db querier) (org.Cycle, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.loaded {
		return q.cycle, nil
	}
	c, err := currentCycle(ctx, db)
	if err != nil {
		return c, err
	}
	q.cycle, q.loaded = c, true
	return c, nil
}

func (q *Scoped) cycleID(ctx context.Context) (int64, error) {
	c, err := q.Cycle(ctx)
	return c.ID, err
}

// errZoneOnly refuses a change of the whole zone's settings to a scoped account.
var errZoneOnly = errs.New(errs.Forbidden, "这是全区的设置,只有不限管辖范围的换届办公室账号可以修改")

// needZone refuses unless q may change zone-wide settings.
func (q *Scoped) needZone() error {
	if !q.zone {
		return errZoneOnly
	}
	return nil
}

// Write runs fn in one transaction on behalf of q: the transaction's
// methods read q's scope and cycle, and its audit entries name q's actor.
func (q *Scoped) Write(ctx context.Context, fn func(*Tx) error) error {
	if q.readOnly {
		return errEarlierCycle
	}
	return q.s.write(ctx, q, fn)
}

// cycleID is the cycle the transaction writes in, read in the transaction,
// on its connection, when the request has not read it yet: not on a second
// pooled connection while the write holds SQLite's lock (where, after any
// other connection's write, SQLite first unmapped the file: issue 17).
func (t *Tx) cycleID(ctx context.Context) (int64, error) {
	c, err := t.q.cycleOn(ctx, t.tx)
	return c.ID, err
}

// needZone refuses unless the transaction may change zone-wide settings.
func (t *Tx) needZone() error { return t.q.needZone() }
