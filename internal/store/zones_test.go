package store_test

import "github.com/huanjie/huanjie/internal/demotest"

// The demo zones the store's tests share, each loaded once per engine and
// copied for every test that asks (loading one takes seconds, tens on
// PostgreSQL; a copy a fraction of one).
var (
	// demoZone is the whole demo zone.
	demoZone = demotest.Whole
	// preElectionZone is the demo zone before its elections, for tests
	// that hold their own.
	preElectionZone = demotest.WithoutElections
	// gatelessZone is the demo zone without its gates.
	gatelessZone = demotest.WithoutGates
)
