package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/progress"
	"github.com/huanjie/huanjie/internal/store"
)

// electorateCommunities is how many communities (the first with sitting
// members in each of the first districts) get an electorate in the demo.
const electorateCommunities = 2

// loadElectorate writes, through the store's own writes, the electorate
// and polling of a few communities, with the people of the community (its
// sitting members and aspirants) as its voters: the residents' election
// committee, the mode, the register published in time with an objection
// answered, the party members with one excused (present too once the
// party's day has come), a main hall with its staff, a mobile box still
// short of scrutineers, and a proxy. Days count back from the load day or
// the residents' day, whichever comes first, so nothing is dated after
// today or too late for its rule. In a zone that has held its elections
// they are the first community of each of the first districts, whose
// residents' committee votes after the load day (elections.go).
func loadElectorate(ctx context.Context, st *store.Store, z Zone, progressLine func(string)) error {
	db := st.Zone(store.System)
	today := civil.Of(st.Now())
	settings, err := db.ElectionSettings(ctx)
	if err != nil {
		return err
	}
	type person struct {
		name, sex string
		birth     civil.Date
		party     bool
	}
	people := map[string][]person{}
	seen := map[string]bool{}
	add := func(code string, p person) {
		if k := code + "|" + p.name + "|" + string(p.birth); !seen[k] && p.birth.Valid() {
			seen[k] = true
			people[code] = append(people[code], p)
		}
	}
	for _, m := range z.Members {
		add(m.OrgCode, person{m.Name, m.Sex, m.BirthDate, m.PartyMember})
	}
	for _, a := range z.Aspirants {
		add(a.OrgCode, person{a.Name, a.Sex(), civil.Date(a.BirthDate()), false})
	}
	var codes []string
	districts := map[string]bool{}
	for _, u := range z.Units {
		if u.Kind == org.Community && !districts[u.ParentCode] && len(people[u.Code]) >= 8 && len(codes) < electorateCommunities {
			districts[u.ParentCode] = true
			codes = append(codes, u.Code)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	// The residents' formal candidates, who may neither sit on the election
	// committee nor staff a station (election.CheckStaff): listed last, after
	// those who do.
	candidates := map[string]bool{}
	for _, e := range z.Elections {
		for _, x := range e.Formal {
			if a := z.Aspirants[x.Aspirant]; x.Committee == org.ResidentsCommittee {
				candidates[a.OrgCode+"|"+a.Name+"|"+a.BirthDate()] = true
			}
		}
	}
	registered := 0
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, code := range codes {
			cd, err := db.CommunityDays(ctx, code)
			if err != nil {
				return err
			}
			ps := people[code]
			slices.SortStableFunc(ps, func(a, b person) int { return strings.Compare(a.name, b.name) })
			slices.SortStableFunc(ps, func(a, b person) int {
				return btoi(candidates[code+"|"+a.name+"|"+string(a.birth)]) - btoi(candidates[code+"|"+b.name+"|"+string(b.birth)])
			})
			var voters []election.Voter
			var party []election.PartyMember
			for i, p := range ps {
				kind := election.RegResident
				switch i % 7 {
				case 3:
					kind = election.RegAway
				case 5:
					kind = election.RegIncomer
				}
				voters = append(voters, election.Voter{Name: p.name, Sex: p.sex, BirthDate: p.birth, Group: fmt.Sprintf("第%d居民小组", i%3+1), Kind: kind})
				if p.party {
					party = append(party, election.PartyMember{Name: p.name, Sex: p.sex, BirthDate: p.birth, Status: election.StatusFull})
				}
			}
			if err := loadCommunityElectorate(ctx, tx, code, cd.Days, today, settings, voters, party); err != nil {
				return fmt.Errorf("%s: %w", code, err)
			}
			registered += len(ps)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo electorate: %w", err)
	}
	progressLine(fmt.Sprintf("选民登记与投票站 %d 个社区 %d 名选民", len(codes), registered))
	return nil
}

func loadCommunityElectorate(ctx context.Context, tx *store.Tx, code string, days progress.Days, today civil.Date,
	s election.Settings, voters []election.Voter, party []election.PartyMember) error {
	published := min(today, election.LastPublication(days.Residents, s)).AddDays(-7)
	if len(party) > 2 {
		party[len(party)-1].Status = election.StatusProbationary
		party[1].Excused = "外出务工,书面请假"
	}
	for i, name := range []string{voters[0].Name, voters[1].Name, voters[2].Name} {
		role := election.RoleMember
		if i == 0 {
			role = election.RoleChair
		}
		if _, err := tx.AddCommitteeMember(ctx, code, election.CommitteeMember{Name: name, Role: role, JoinedOn: published.AddDays(-10)}); err != nil {
			return fmt.Errorf("election committee: %w", err)
		}
	}
	if err := tx.SetMode(ctx, code, election.ModeAll); err != nil {
		return err
	}
	if _, err := tx.ImportVoters(ctx, code, voters); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if err := tx.PublishRegister(ctx, code, published); err != nil {
		return fmt.Errorf("publication: %w", err)
	}
	last := voters[len(voters)-1]
	o, err := tx.FileObjection(ctx, code, store.ObjectionInput{Objection: election.Objection{FiledOn: published.AddDays(1),
		Filer: voters[3].Name, Kind: election.ObjectRemove, Reason: "反映其常年在外,不应登记"}, VoterName: last.Name, VoterBirth: last.BirthDate})
	if err != nil {
		return fmt.Errorf("objection: %w", err)
	}
	if _, err := tx.AnswerObjection(ctx, code, o.ID, election.ObjectionAnswer{On: published.AddDays(2), Ruling: election.Rejected,
		Text: "经核实,其户籍在本社区并书面表示参加选举,依法登记,异议不成立"}); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	if _, err := tx.ImportPartyMembers(ctx, code, party); err != nil {
		return fmt.Errorf("party members: %w", err)
	}
	if today >= days.Party {
		for _, m := range party {
			if m.Should() {
				if _, err := tx.MarkPresent(ctx, code, m.ID, true); err != nil {
					return fmt.Errorf("present: %w", err)
				}
			}
		}
	}
	hall, err := tx.AddStation(ctx, code, election.Station{Committee: org.ResidentsCommittee, Name: "选举大会会场",
		Kind: election.MainHall, Place: "社区党群服务中心", Opens: "08:00", Closes: "17:00"})
	if err != nil {
		return fmt.Errorf("station: %w", err)
	}
	staff := []election.Staff{{Role: election.Host, Name: voters[0].Name}, {Role: election.Scrutineer, Name: voters[4].Name},
		{Role: election.Scrutineer, Name: voters[5].Name}, {Role: election.Scrutineer, Name: voters[6].Name},
		{Role: election.Counter, Name: voters[7].Name}, {Role: election.Caller, Name: voters[1].Name}}
	for _, x := range staff {
		if _, err := tx.AddStaff(ctx, code, hall.ID, x); err != nil {
			return fmt.Errorf("staff: %w", err)
		}
	}
	box, err := tx.AddStation(ctx, code, election.Station{Committee: org.ResidentsCommittee, Name: "流动票箱", Kind: election.MobileBox,
		Place: "社区党群服务中心出发", Opens: "08:30", Closes: "11:30", Route: "第一居民小组—第二居民小组—社区卫生服务站", Serves: 12})
	if err != nil {
		return fmt.Errorf("mobile box: %w", err)
	}
	if _, err := tx.AddStaff(ctx, code, box.ID, election.Staff{Role: election.Scrutineer, Name: voters[2].Name}); err != nil {
		return fmt.Errorf("box staff: %w", err)
	}
	written := min(today, days.Residents.AddDays(-1))
	if _, err := tx.AddProxy(ctx, code, store.ProxyInput{Giver: voters[3].Name, GiverBirth: voters[3].BirthDate, Holder: voters[0].Name,
		HolderBirth: voters[0].BirthDate, Relation: election.Sibling, WrittenOn: written}); err != nil {
		return fmt.Errorf("proxy: %w", err)
	}
	return nil
}
