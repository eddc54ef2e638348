package web

import (
	"context"
	"io"
	"net/http"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/xlsx"
)

// Polling (issue 15, point 2): the forms of the electorate page for
// stations, their staff, the candidates' close relatives and the proxies,
// with their API twins; the published list of givers and holders of
// proxies (printable on A4, and as Excel).

type stationInput struct {
	Community string               `json:"-" path:"code"`
	Committee org.Committee        `json:"committee"`
	Name      string               `json:"name"`
	Kind      election.StationKind `json:"kind"`
	Place     string               `json:"place"`
	Opens     string               `json:"opens"`
	Closes    string               `json:"closes"`
	Route     string               `json:"route"`
	Serves    int                  `json:"serves"`
}

func (x stationInput) community() string { return x.Community }

func (s *Server) addStation() handlerFunc {
	return electorateAction(s, "投票站已设立。", true, func(ctx context.Context, db *store.Scoped, x stationInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Station, error) {
			return tx.AddStation(ctx, x.Community, election.Station{Committee: x.Committee, Name: x.Name, Kind: x.Kind, Place: x.Place,
				Opens: x.Opens, Closes: x.Closes, Route: x.Route, Serves: x.Serves})
		})
	})
}

type staffInput struct {
	Community string             `json:"-" path:"code"`
	Station   int64              `json:"-" path:"id"`
	Role      election.StaffRole `json:"role"`
	Name      string             `json:"name"`
}

func (x staffInput) community() string { return x.Community }

func (s *Server) addStaff() handlerFunc {
	return electorateAction(s, "工作人员已确定。", true, func(ctx context.Context, db *store.Scoped, x staffInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Staff, error) {
			return tx.AddStaff(ctx, x.Community, x.Station, election.Staff{Role: x.Role, Name: x.Name})
		})
	})
}

type staffRemoveInput struct {
	Community string `json:"-" path:"code"`
	Station   int64  `json:"-" path:"id"`
	Staff     int64  `json:"-" path:"staff"`
}

func (x staffRemoveInput) community() string { return x.Community }

func (s *Server) removeStaff() handlerFunc {
	return electorateAction(s, "已撤换该工作人员。", false, func(ctx context.Context, db *store.Scoped, x staffRemoveInput) (any, error) {
		return map[string]any{"removed": x.Staff}, db.Write(ctx, func(tx *store.Tx) error {
			return tx.RemoveStaff(ctx, x.Community, x.Station, x.Staff)
		})
	})
}

type relativeInput struct {
	Community  string            `json:"-" path:"code"`
	AspirantID int64             `json:"aspirant_id"`
	Relation   election.Relation `json:"relation"`
	Name       string            `json:"name"`
}

func (x relativeInput) community() string { return x.Community }

func (s *Server) addRelative() handlerFunc {
	return electorateAction(s, "候选人近亲属已登记。", true, func(ctx context.Context, db *store.Scoped, x relativeInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Relative, error) {
			return tx.AddRelative(ctx, x.Community, election.Relative{AspirantID: x.AspirantID, Relation: x.Relation, Name: x.Name})
		})
	})
}

type proxyInput struct {
	Community   string            `json:"-" path:"code"`
	Giver       string            `json:"giver"`
	GiverBirth  civil.Date        `json:"giver_birth"`
	Holder      string            `json:"holder"`
	HolderBirth civil.Date        `json:"holder_birth"`
	Relation    election.Relation `json:"relation"`
	WrittenOn   civil.Date        `json:"written_on"`
}

func (x proxyInput) community() string { return x.Community }

func (s *Server) addProxy() handlerFunc {
	return electorateAction(s, "委托投票已登记。", true, func(ctx context.Context, db *store.Scoped, x proxyInput) (any, error) {
		return writeOne(ctx, db, func(tx *store.Tx) (election.Proxy, error) {
			return tx.AddProxy(ctx, x.Community, store.ProxyInput{Giver: x.Giver, GiverBirth: x.GiverBirth, Holder: x.Holder,
				HolderBirth: x.HolderBirth, Relation: x.Relation, WrittenOn: x.WrittenOn})
		})
	})
}

// proxiesView is the published list of proxies: by holder, each with the
// givers it carries.
type proxiesView struct {
	Code, Name  string
	ElectionDay civil.Date
	Max         int
	Holders     []proxyHolder
	Total       int
}

// proxyHolder is one holder with the proxies it carries.
type proxyHolder struct {
	Holder  string           `json:"holder"`
	Proxies []election.Proxy `json:"proxies"`
}

func (v proxiesView) Title() string { return v.Name + " · 委托投票名单" }

func (s *Server) proxiesView(ctx context.Context, db *store.Scoped, code string) (proxiesView, error) {
	cd, err := db.CommunityDays(ctx, code)
	if err != nil {
		return proxiesView{}, err
	}
	set, err := db.ElectionSettings(ctx)
	if err != nil {
		return proxiesView{}, err
	}
	v := proxiesView{Code: cd.Code, Name: cd.Name, ElectionDay: cd.Days.Residents, Max: set.ProxyMax, Holders: []proxyHolder{}}
	list, err := db.Proxies(ctx, code)
	if err != nil {
		return v, err
	}
	v.Total = len(list)
	for i, p := range list {
		if i == 0 || list[i-1].HolderID != p.HolderID {
			v.Holders = append(v.Holders, proxyHolder{Holder: p.Holder})
		}
		h := &v.Holders[len(v.Holders)-1]
		h.Proxies = append(h.Proxies, p)
	}
	return v, nil
}

func (s *Server) proxiesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.proxiesView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "proxies", http.StatusOK, v)
	return nil
}

func (s *Server) apiProxies(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.proxiesView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": v.Code, "name": v.Name, "election_day": v.ElectionDay, "proxy_max": v.Max,
		"total": v.Total, "holders": v.Holders})
	return nil
}

// proxiesExport is the list of givers and holders as Excel. Audited.
func (s *Server) proxiesExport(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	v, err := s.proxiesView(ctx, db, r.PathValue("code"))
	if err != nil {
		return err
	}
	var rows []election.Proxy
	for _, h := range v.Holders {
		rows = append(rows, h.Proxies...)
	}
	if err := s.auditExport(ctx, db, audit.ExportProxies, len(rows)); err != nil {
		return err
	}
	cols := []xlsx.Column{{Head: "序号", Width: 8}, {Head: "受托人", Width: 12}, {Head: "委托人", Width: 12},
		{Head: "关系(受托人是委托人的)", Width: 22}, {Head: "书面委托日期", Width: 14}}
	return sendXLSX(w, v.Name+"委托投票名单.xlsx", func(out io.Writer) error {
		return xlsx.Table(out, "委托投票名单", cols, len(rows), func(i int) []any {
			p := rows[i]
			return []any{i + 1, p.Holder, p.Giver, p.Relation.Label(), p.WrittenOn}
		})
	})
}
