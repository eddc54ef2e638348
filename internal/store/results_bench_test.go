package store_test

// BenchmarkResultStatistics70k times Scoped.ResultStatistics, the one read
// behind the statistics page and its workbook, on the demo zone of 70,000
// communities (a province), each with both committees elected: a party
// committee of 5 and a residents' committee of 7, two persons on both (12
// rows, 840,000 in all), and the ballots that elected them (a confirmed
// first ballot of each committee with its total and outcome; in one
// community of ten the residents' first ballot left seats to a further
// ballot, in one of fifty the party's first was void and repeated: about
// 150,000 ballots), for the figures of the counts. The results, their
// tallies and the ballots are written straight into the tables (set-based,
// no audit): the benchmark times the read. Only when run:
//
//	go test ./internal/store -run '^$' -bench ResultStatistics70k -benchtime 5x
//
// Issue 15 asks under 2 s on SQLite and under 4 s on PostgreSQL.

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/testdb"
)

const resultsBenchCommunities = 70_000

func BenchmarkResultStatistics70k(b *testing.B) {
	engines := []store.Engine{store.SQLite}
	if os.Getenv(testdb.EnvPostgres) != "" {
		engines = append(engines, store.Postgres)
	}
	for _, e := range engines {
		b.Run(string(e), func(b *testing.B) {
			st, _ := loadBenchZone(b, e, resultsBenchCommunities)
			ctx := context.Background()
			fillResults(b, st)
			fillBallots(b, st)
			zone := st.Zone(store.System)
			const n = resultsBenchCommunities
			for b.Loop() {
				s, err := zone.ResultStatistics(ctx, "", 0, 0)
				if err != nil || len(s.Rows) != n || s.Total.People.Members != 10*n || s.Total.Cross != 2*n {
					b.Fatalf("%v: %d rows, totals %+v", err, len(s.Rows), s.Total)
				}
				p, r := s.Ballots.Party, s.Ballots.Residents
				if p.Turnout != n || p.Attended != 38*n || p.Void != n/50 || p.Repeated != n/50 || p.FirstHeld != n || p.FirstElected != n-n/50 ||
					r.Turnout != n || r.Attended != 901*n || r.Base != 1200*n || r.Further != n/10 || r.FirstElected != n-n/10 {
					b.Fatalf("the figures of the counts: %+v", s.Ballots)
				}
			}
		})
	}
}

// fillResults elects in every community of the current cycle persons 0–4
// to the party committee (0 its secretary) and 3–9 to the residents'
// committee (3 its director), behind the platform's back.
func fillResults(b *testing.B, st *store.Store) {
	b.Helper()
	nums := "SELECT 0 AS k"
	for k := 1; k < 10; k++ {
		nums += " UNION ALL SELECT " + strconv.Itoa(k)
	}
	insert := func(committee, cond, chief string, chiefK int) string {
		return `INSERT INTO elected_members (cycle_id, org_id, committee, seq, aspirant_id, name, sex, birth_date, education, party, post,
			votes, base, round, reelected, elected_on, age, set_by, set_at)
		SELECT c.id, o.id, '` + committee + `', n.k + 1, NULL, '当选' || n.k, CASE WHEN n.k < 4 THEN '女' ELSE '男' END,
			'19' || (60 + n.k * 3) || '-06-01', CASE WHEN n.k < 5 THEN 'bachelor' ELSE 'high_school' END,
			CASE WHEN n.k < 7 THEN 'member' ELSE 'masses' END,
			CASE WHEN n.k = ` + strconv.Itoa(chiefK) + ` THEN '` + chief + `' ELSE 'member' END, 30 + n.k, 40,
			CASE WHEN n.k = 9 THEN 'further' ELSE 'first' END, n.k = 1, '2027-01-16', 66 - n.k * 3, 'bench', CURRENT_TIMESTAMP
		FROM orgs o, cycles c, (` + nums + `) n WHERE o.kind = 'community' AND c.current = TRUE AND ` + cond
	}
	// Their tallies, as the platform keeps them (store.resultTally), the same in every community.
	tally := func(committee, json string) string {
		return `INSERT INTO result_tallies (cycle_id, org_id, committee, tally) SELECT c.id, o.id, '` + committee + `', '` + json + `'
			FROM orgs o, cycles c WHERE o.kind = 'community' AND c.current = TRUE`
	}
	const cross = `"cross":{"members":2,"age_sum":111,"women":1,"college":2,"party":2,"first":2}`
	party := `{"all":{"members":5,"age_sum":300,"old":3,"women":4,"college":5,"party":5,"reelected":1,"first":5},` + cross +
		`,"chief":{"name":"当选0","sex":"女","birth_date":"1960-06-01","education":"bachelor","party":"member","age":66},"elected_on":"2027-01-16"}`
	residents := `{"all":{"members":7,"age_sum":336,"women":1,"college":2,"high":5,"party":4,"first":6},` + cross +
		`,"chief":{"name":"当选3","sex":"女","birth_date":"1969-06-01","education":"bachelor","party":"member","age":57},"elected_on":"2027-01-16"}`
	if err := st.Tamper(context.Background(), insert("party", "n.k < 5", "secretary", 0), insert("residents", "n.k >= 3", "director", 3),
		tally("party", party), tally("residents", residents), `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

// fillBallots gives every community of the current cycle, behind the
// platform's back, the ballots that elected its committees: the party's
// first ballot (40 should attend, 38 present) confirmed with a total of
// six candidates, and the residents' (1,200 registered, 901 voted) with
// nine on three posts, each with its outcome. In one community of ten
// (o.id % 10 = 0) the residents' first ballot left seats, filled by a
// further ballot; in one of fifty (o.id % 50 = 1) the party's first ballot
// was void and repeated.
func fillBallots(b *testing.B, st *store.Store) {
	b.Helper()
	line := func(key int, post string, yes, of int) string {
		return `{"key":"` + strconv.Itoa(key) + `","name":"候选人` + strconv.Itoa(key) + `","sex":"女","post":"` + post + `","yes":` +
			strconv.Itoa(yes) + `,"no":` + strconv.Itoa(of-yes-1) + `,"abstain":1}`
	}
	total := func(voted, valid int, lines ...string) string {
		return `{"voted":` + strconv.Itoa(voted) + `,"ballots_issued":` + strconv.Itoa(voted) + `,"ballots_returned":` + strconv.Itoa(voted) +
			`,"valid_ballots":` + strconv.Itoa(valid) + `,"invalid_ballots":` + strconv.Itoa(voted-valid) + `,"lines":[` +
			strings.Join(lines, ",") + `],"write_ins":[]}`
	}
	var party, residents []string
	for k := range 6 {
		party = append(party, line(k, map[bool]string{true: "secretary", false: "member"}[k == 0], 36-k*3, 38))
	}
	for k := range 9 {
		post := map[int]string{0: "director", 1: "deputy_director", 2: "deputy_director"}[k]
		if post == "" {
			post = "member"
		}
		residents = append(residents, line(k, post, 800-k*40, 890))
	}
	partyTotal, residentsTotal := total(38, 38, party...), total(901, 890, residents...)
	outcome := func(further int) string {
		return `{"member":{"valid":true,"reasons":null,"elected":["候选人0","候选人1","候选人2"],"further_ballot_seats":` +
			strconv.Itoa(further) + `,"further_ballot_candidates":null,"revote_between":null,"women_seat_unfilled":false}}`
	}
	ballot := func(committee, round, state, totalJSON, cond string, registered, should, present int) string {
		return `INSERT INTO ballots (cycle_id, org_id, committee, round, seq, day, seats, candidates, registered, should_attend, present,
			state, total, opened_by, opened_at, void_reason, rerun_by)
		SELECT c.id, o.id, '` + committee + `', '` + round + `', 1, '2027-01-16', '{"member":5}', '[]', ` + strconv.Itoa(registered) + `, ` +
			strconv.Itoa(should) + `, ` + strconv.Itoa(present) + `, '` + state + `', '` + totalJSON + `', 'bench', CURRENT_TIMESTAMP,
			CASE WHEN '` + state + `' = 'void' THEN '未公开唱票计票' ELSE '' END, CASE WHEN '` + state + `' = 'void' THEN '2027-02-15' ELSE '' END
		FROM orgs o, cycles c WHERE o.kind = 'community' AND c.current = TRUE AND ` + cond
	}
	// The outcome of each ballot counted, and the figures kept with it (store.ballotDecided).
	outcomes := func(committee, round string, further int, cond string) []string {
		unfilled, voted := 0, 38
		if further > 0 {
			unfilled = 1
		}
		if committee == "residents" {
			voted = 901
		}
		from := ` FROM ballots b JOIN orgs o ON o.id = b.org_id WHERE b.committee = '` + committee + `' AND b.round = '` + round +
			`' AND b.state = 'confirmed' AND ` + cond
		return []string{`INSERT INTO ballot_outcomes (ballot_id, valid, outcome, settings, decided_by, decided_at)
			SELECT b.id, 1, '` + outcome(further) + `', '{}', 'bench', CURRENT_TIMESTAMP` + from,
			`INSERT INTO ballot_figures (ballot_id, voted, unfilled) SELECT b.id, ` + strconv.Itoa(voted) + `, ` + strconv.Itoa(unfilled) + from}
	}
	const further, void = `o.id % 10 = 0`, `o.id % 50 = 1`
	statements := []string{
		ballot("party", "first", "void", "", void, 0, 40, 30),
		ballot("party", "first", "confirmed", partyTotal, "NOT ("+void+")", 0, 40, 38),
		ballot("party", "repeat", "confirmed", partyTotal, void, 0, 40, 38),
		ballot("residents", "first", "confirmed", residentsTotal, "TRUE", 1200, 0, 0),
		ballot("residents", "further", "confirmed", residentsTotal, further, 1200, 0, 0),
	}
	for _, o := range [][]string{outcomes("party", "first", 0, "TRUE"), outcomes("party", "repeat", 0, "TRUE"),
		outcomes("residents", "first", 2, further), outcomes("residents", "first", 0, "NOT ("+further+")"),
		outcomes("residents", "further", 0, "TRUE")} {
		statements = append(statements, o...)
	}
	if err := st.Tamper(context.Background(), append(statements, `ANALYZE`)...); err != nil {
		b.Fatal(err)
	}
}
