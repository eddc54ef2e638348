// Package org is the organisation tree (city › county › town or zone ›
// district › community) and the re-election cycle that campaign data belongs to.
package org

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// Kind is the level of a unit in the tree.
type Kind string

// The kinds of unit. Zone, district and community are what the demo and the
// API use; city, county and town leave room above.
const (
	City      Kind = "city"
	County    Kind = "county"
	Town      Kind = "town"
	Zone      Kind = "zone"      // 开发区 / 街道
	District  Kind = "district"  // 片区
	Community Kind = "community" // 社区 / 村
)

// Kinds lists the kinds from the top of the tree down.
var Kinds = []Kind{City, County, Town, Zone, District, Community}

var kindLabels = map[Kind]string{
	City: "市", County: "县(区)", Town: "镇(街道)", Zone: "开发区", District: "片区", Community: "社区",
}

// Label is the Chinese name of the kind.
func (k Kind) Label() string { return kindLabels[k] }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := kindLabels[k]; return ok }

// Unit is one node of the organisation tree.
type Unit struct {
	ID         int64
	Code       string // unique, stable, used in URLs and the API
	Name       string
	Kind       Kind
	ParentID   int64  // 0 for a root
	ParentCode string // "" for a root
	Path       string // materialised path of codes, "/KFQ/KFQ-01/"; see Scope
	Households int    // 户数 (communities)
	Population int    // 常住人口 (communities)
	Tree       Totals // the whole subtree's totals, this unit included
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$`)

// Validate checks the fields a user can enter.
func (u Unit) Validate() error {
	if !codePattern.MatchString(u.Code) {
		return errs.OnField("code", "编码只能由字母、数字、短横线和下划线组成,且不超过40个字符")
	}
	name := strings.TrimSpace(u.Name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return errs.OnField("name", "名称不能为空,且不超过60个字")
	}
	if !u.Kind.Valid() {
		return errs.OnField("kind", "未知的组织层级")
	}
	if u.Households < 0 {
		return errs.OnField("households", "户数不能为负数")
	}
	if u.Population < 0 {
		return errs.OnField("population", "人口不能为负数")
	}
	return nil
}

// PathOf is the path of a unit with code under a parent's path ("" for a
// root). Paths are built from codes, which never change once given.
func PathOf(parentPath, code string) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + code + "/"
}

// Cycle is one re-election campaign (换届届次), e.g. 2026. Campaign data
// belongs to a cycle so the next one starts clean and the last stays comparable.
type Cycle struct {
	ID          int64
	Code        string     // "2026"
	Name        string     // "2026年社区两委换届"
	ElectionDay civil.Date // the residents' vote of communities without their own day, may be empty
	PartyDay    civil.Date // the party vote of communities without their own day, may be empty
	Current     bool
}

var cycleCode = regexp.MustCompile(`^[0-9A-Za-z_-]{1,20}$`)

// Validate checks a new cycle: a short code (the year, usually) and a name.
func (c *Cycle) Validate() error {
	c.Code, c.Name = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name)
	if !cycleCode.MatchString(c.Code) {
		return errs.OnField("code", "届次编码只能由数字、字母、短横线组成,不超过20个字符,如 2031")
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 60 {
		return errs.OnField("name", "届次名称不能为空,且不超过60个字")
	}
	return nil
}

// Totals sums a subtree: the units of each kind in it (the unit itself
// included) and its communities' households and population. Each unit keeps
// its subtree's totals, updated in the same transaction as any change below
// it, so that counting a zone of 100,000 communities reads one row.
type Totals struct {
	Zones, Districts, Communities int
	Households, Population        int64
}

// Own is what the unit itself adds to the totals of its subtree.
func (u Unit) Own() Totals {
	var t Totals
	switch u.Kind {
	case Zone:
		t.Zones = 1
	case District:
		t.Districts = 1
	case Community:
		t.Communities = 1
		t.Households, t.Population = int64(u.Households), int64(u.Population)
	}
	return t
}

// Plus returns t + o.
func (t Totals) Plus(o Totals) Totals {
	return Totals{t.Zones + o.Zones, t.Districts + o.Districts, t.Communities + o.Communities,
		t.Households + o.Households, t.Population + o.Population}
}

// Minus returns t - o.
func (t Totals) Minus(o Totals) Totals {
	return Totals{t.Zones - o.Zones, t.Districts - o.Districts, t.Communities - o.Communities,
		t.Households - o.Households, t.Population - o.Population}
}

// Ancestors returns the codes of the units above the unit with path, root
// first: "/A/B/C/" gives A, B.
func Ancestors(path string) []string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) <= 1 {
		return nil
	}
	return parts[:len(parts)-1]
}
