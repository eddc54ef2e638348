package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/archive"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// The report of a ballot goes into its community's archive once (issue
// 15, point 7), on both engines: refused before the ballot's count is
// confirmed; filed, it is the ballot's report, under 选举结果报告, no longer
// among the reports not filed, audited on the ballot; filed again, it is
// refused and the archive holds it once; out of scope it is not found.
func TestBallotReportFiledOnce(t *testing.T) {
	countZone.ForEach(t, func(t *testing.T, st *store.Store) {
		st.SetClock(func() time.Time { return countDay })
		office := st.Zone(store.System)
		clerkA := countAccount(st, 9201, "录入员甲", account.Community, "/QS/QS-01/QS-01-001/")
		clerkB := countAccount(st, 9202, "录入员乙", account.District, "/QS/QS-01/")
		coord := countAccount(st, 9203, "协调员", account.District, "/QS/QS-01/")
		other := countAccount(st, 9204, "外片区", account.District, "/QS/QS-02/")
		b, err := write(t, office, func(tx *store.Tx) (store.Ballot, error) {
			return tx.OpenBallot(ctx, countCommunity, election.Opening{Committee: org.PartyCommittee, Round: election.FirstRound,
				ShouldAttend: 40, Present: 38})
		})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte("选举结果报告单"))
		report := archive.File{SHA256: hex.EncodeToString(sum[:]), Name: "报告单.xlsx", Size: 4096,
			Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Category: archive.Other}
		file := func(db *store.Scoped) (archive.File, error) {
			return write(t, db, func(tx *store.Tx) (archive.File, error) { return tx.FileBallotReport(ctx, b.ID, report) })
		}
		reports := func() int {
			t.Helper()
			files, err := office.ArchiveFiles(ctx, countCommunity)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range files {
				if f.SHA256 == report.SHA256 {
					n++
				}
			}
			return n
		}

		_, err = file(coord)
		wantCode(t, "filing before the count is confirmed", err, errs.Conflict)
		unit := b.Units[0].ID
		for _, clerk := range []*store.Scoped{clerkA, clerkB} {
			if _, err := write(t, clerk, func(tx *store.Tx) (int, error) { return tx.SaveEntry(ctx, unit, filled(b, 38, 0), true, false) }); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := write(t, coord, func(tx *store.Tx) (int, error) { return 0, tx.ConfirmCount(ctx, unit) }); err != nil {
			t.Fatal(err)
		}
		if _, err := file(coord); !errs.Is(err, errs.Conflict) {
			t.Errorf("filing with every station confirmed but not the ballot: %v", err)
		}
		if _, err := write(t, coord, func(tx *store.Tx) (store.Ballot, error) { return tx.ConfirmBallot(ctx, b.ID) }); err != nil {
			t.Fatal(err)
		}
		if unfiled, err := coord.UnfiledReports(ctx); err != nil || len(unfiled) != 1 || unfiled[0].ID != b.ID {
			t.Fatalf("reports not filed after confirming: %+v %v", unfiled, err)
		}
		if f, err := coord.BallotReportFile(ctx, b.ID); err != nil || f != nil {
			t.Fatalf("the report before filing: %+v %v", f, err)
		}
		if _, err := file(other); !errs.Is(err, errs.NotFound) {
			t.Errorf("another district files the report: %v", err)
		}

		filed, err := file(coord)
		if err != nil {
			t.Fatal(err)
		}
		got, err := coord.BallotReportFile(ctx, b.ID)
		if err != nil || got == nil || got.ID != filed.ID || got.Category != archive.Results || got.OrgCode != countCommunity ||
			got.UploadedBy != "协调员" {
			t.Fatalf("the filed report: %+v %v", got, err)
		}
		if unfiled, err := office.UnfiledReports(ctx); err != nil || len(unfiled) != 0 {
			t.Errorf("reports not filed after filing: %+v %v", unfiled, err)
		}
		// A retry files nothing.
		_, err = file(coord)
		wantCode(t, "filing it again", err, errs.Conflict)
		if n := reports(); n != 1 {
			t.Errorf("the archive holds the report %d times, want once", n)
		}
		if _, err := other.BallotReportFile(ctx, b.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another district reads the filed report: %v", err)
		}
		acts, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'archive.report' AND entity = 'ballot'
			AND entity_id = '`+itoa(b.ID)+`'`)
		if err != nil {
			t.Fatal(err)
		}
		if acts != 1 {
			t.Errorf("%d archive.report entries on the ballot, want 1", acts)
		}
	})
}
