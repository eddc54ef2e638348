package store_test

import (
	"context"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// The demo zones the store's tests share, each loaded once per engine and
// copied for every test that asks (loading one takes seconds, tens on
// PostgreSQL; a copy a fraction of one).
var (
	// demoZone is the whole demo zone.
	demoZone = testdb.NewFixture(func(ctx context.Context, st *store.Store) error {
		return demo.Load(ctx, st, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities), nil)
	})
	// preElectionZone is the demo zone before its elections, for tests
	// that hold their own.
	preElectionZone = testdb.NewFixture(func(ctx context.Context, st *store.Store) error {
		return demo.Load(ctx, st, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutElections(), nil)
	})
	// gatelessZone is the demo zone without its gates.
	gatelessZone = testdb.NewFixture(func(ctx context.Context, st *store.Store) error {
		return demo.Load(ctx, st, demo.Generate(demo.DefaultSeed, demo.DefaultCommunities).WithoutGates(), nil)
	})
)
