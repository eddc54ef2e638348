package org

import "github.com/huanjie/huanjie/internal/civil"

// Committee is one of the two committees (两委).
type Committee string

// The two committees.
const (
	PartyCommittee     Committee = "party"     // 社区党组织委员会
	ResidentsCommittee Committee = "residents" // 社区居民委员会
)

// Committees lists the two committees.
var Committees = []Committee{PartyCommittee, ResidentsCommittee}

// Label is the Chinese name of the committee.
func (c Committee) Label() string {
	if c == PartyCommittee {
		return "党组织委员会"
	}
	return "居民委员会"
}

// Member is a sitting member of one of a community's committees in a cycle.
// A person holding both 书记 and 主任 (一肩挑) has one row in each committee
// with the same ID number.
type Member struct {
	ID          int64
	OrgID       int64
	Name        string
	Sex         string     // 男 / 女
	BirthDate   civil.Date // YYYY-MM-DD
	Committee   Committee
	Post        string // 书记 副书记 委员 / 主任 副主任 委员
	PartyMember bool
	Education   string
	IDNumber    string // in clear only in memory; sealed at rest, masked in views
	Phone       string // likewise
	Demo        bool
}
