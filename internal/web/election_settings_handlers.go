package web

import (
	"context"
	"net/http"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/election"
	"github.com/huanjie/huanjie/internal/store"
)

// The cycle's election rules (issue 15): the numbers the law leaves to the
// province or rules.md marks UNCONFIRMED, each a field of
// election.Settings with its default. Zone-wide, like /targets/settings.

// settingField is one number of the settings as the page shows it: its
// form name, its Chinese label, its value, its bounds and where rules.md
// takes its default from.
type settingField struct {
	Name, Label, Hint string
	Value, Min, Max   int
}

type electionSettingsView struct {
	Settings election.Settings
	Defaults election.Settings
	CanEdit  bool
}

func (electionSettingsView) Title() string { return "选举规则设置" }

// Bases are the choices of the party's threshold base.
func (electionSettingsView) Bases() []election.Base { return election.Bases }

// Numbers are the settings' numbers in the page's order.
func (v electionSettingsView) Numbers() []settingField {
	s, d := v.Settings, v.Defaults
	return []settingField{
		{"quorum_num", "党员大会到会比例(分子)", "到会须超过应到会有选举权人数的几分之几,默认五分之四(《中国共产党基层组织选举工作条例》;2020年条例原文未核实;规则汇编§2)", s.QuorumNum, 1, 99},
		{"quorum_den", "党员大会到会比例(分母)", "默认" + itoaInt(d.QuorumNum) + "/" + itoaInt(d.QuorumDen) + ";恰好等于该比例不足法定人数(规则汇编§2)", s.QuorumDen, 2, 100},
		{"register_days", "选民名单在选举日前至少公布(天)", "《村民委员会组织法》第十四条:选举日的二十日以前公布(规则汇编§3.1)", s.RegisterDays, 1, 120},
		{"objection_days", "对选民名单提出异议的期限(天)", "《村民委员会组织法》第十四条:自名单公布之日起五日内提出(规则汇编§3.1)", s.ObjectionDays, 1, 60},
		{"answer_days", "选举委员会答复异议的期限(天)", "《村民委员会组织法》第十四条:自收到申诉之日起三日内作出处理决定(规则汇编§3.1)", s.AnswerDays, 1, 60},
		{"proxy_max", "每名选民接受委托不得超过(人)", "各省规定为三人、二人或一人,默认三人;全国法律没有限定人数,山东省规定未核实(规则汇编§3.3)", s.ProxyMax, 0, 10},
		{"min_scrutineers", "每个投票站、流动票箱的监票人不少于(人)", "默认三人;另有一名选举委员会成员加两名监票人的做法(规则汇编§3.4)", s.MinScrutineers, 1, 20},
		{"further_margin", "另行选举时候选人多于应选名额(人)", "《村民委员会组织法》第十五条只规定按得票多少确定,默认多一人(规则汇编§3.1)", s.FurtherMargin, 0, 10},
		{"rerun_days", "选举无效后重新选举的期限(天)", "重庆市2025年选举办法:三十日内(规则汇编§3.2)", s.RerunDays, 1, 365},
		{"handover_days", "新老班子工作移交的期限(天)", "《村民委员会组织法》第二十条:十日内(规则汇编§3.1)", s.HandoverDays, 1, 120},
		{"invalid_warn_percent", "无效票达到收回选票的百分之几时提醒核对", "只提醒核对,不阻止确认,默认百分之三(计票检查)", s.InvalidWarnPercent, 1, 100},
	}
}

func (s *Server) electionSettingsView(ctx context.Context, db *store.Scoped) (string, any, error) {
	v := electionSettingsView{Defaults: election.DefaultSettings(), CanEdit: db.Can(account.ManageProcess) && db.ZoneWide()}
	var err error
	v.Settings, err = db.ElectionSettings(ctx)
	return "election_settings", v, err
}

func (s *Server) electionSettingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.electionSettingsView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiElectionSettings(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	set, err := db.ElectionSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"settings": set, "defaults": election.DefaultSettings()})
	return nil
}

// saveElectionSettings replaces the cycle's election rules: the API's
// JSON is the whole election.Settings; the form's fields are its JSON
// names (unticked boxes false).
func (s *Server) saveElectionSettings() handlerFunc {
	return act(s, action[election.Settings]{
		run: func(ctx context.Context, db *store.Scoped, set election.Settings) (any, error) {
			return map[string]any{"settings": set}, db.Write(ctx, func(tx *store.Tx) error { return tx.SaveElectionSettings(ctx, set) })
		},
		next:   func(election.Settings, any) string { return "/elections/settings" },
		notice: "选举规则已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ election.Settings) (string, any, error) {
			return s.electionSettingsView(ctx, db)
		},
	})
}
