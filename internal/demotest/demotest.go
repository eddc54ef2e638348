// Package demotest holds the demo zones that the tests of several packages
// (demo, store, web) start from, each loaded once per engine by the test
// processes of one run between them (testdb.Shared) and copied for every
// test that asks: a zone takes seconds to load on SQLite and tens of seconds
// on PostgreSQL, a copy a fraction of one.
package demotest

import (
	"context"

	"github.com/huanjie/huanjie/internal/demo"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

// Zone is the default demo zone, as serve --demo loads it.
func Zone() demo.Zone { return demo.Generate(demo.DefaultSeed, demo.DefaultCommunities) }

var (
	// Whole is the whole demo zone.
	Whole = shared("demo", Zone)
	// WithoutGates is the zone without its gates (demo.Zone.WithoutGates).
	WithoutGates = shared("demo-without-gates", func() demo.Zone { return Zone().WithoutGates() })
	// WithoutElections is the zone as it stood before its elections, for
	// tests that hold their own (demo.Zone.WithoutElections).
	WithoutElections = shared("demo-without-elections", func() demo.Zone { return Zone().WithoutElections() })
	// WithoutThirdGate is the zone up to the second review, for tests of
	// the third gate that enter their own seats, recommendations and slates.
	WithoutThirdGate = shared("demo-without-third-gate", func() demo.Zone { return Zone().WithoutThirdGate() })
)

func shared(name string, zone func() demo.Zone) *testdb.Fixture {
	return testdb.Shared(name, func(ctx context.Context, st *store.Store) error { return demo.Load(ctx, st, zone(), nil) })
}
