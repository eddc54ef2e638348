package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/slate"
	"github.com/huanjie/huanjie/internal/store"
)

// The cycle's structure targets (硬指标) and the formal lists' margins:
// the settings the third gate's checks read. Zone-wide.

type targetSettingsView struct {
	Targets []slate.Target
	Custom  bool
	Margins slate.Margins
	CanEdit bool
}

func (targetSettingsView) Title() string { return "结构指标与差额设置" }

// Rules are the choices of a target's rule.
func (targetSettingsView) Rules() []slate.Rule { return slate.Rules() }

func (s *Server) targetSettingsView(ctx context.Context, db *store.Scoped) (string, any, error) {
	v := targetSettingsView{CanEdit: db.Can(account.ManageProcess) && db.ZoneWide()}
	var err error
	if v.Targets, v.Custom, err = db.Targets(ctx); err != nil {
		return "", nil, err
	}
	if v.Margins, err = db.Margins(ctx); err != nil {
		return "", nil, err
	}
	return "target_settings", v, nil
}

func (s *Server) targetSettingsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.targetSettingsView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func (s *Server) apiTargetSettings(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	_, v, err := s.targetSettingsView(r.Context(), db)
	if err != nil {
		return err
	}
	tv := v.(targetSettingsView)
	writeJSON(w, http.StatusOK, map[string]any{"targets": tv.Targets, "custom": tv.Custom, "margins": tv.Margins})
	return nil
}

// targetsInput replaces the targets: the API's {"targets": [...]} (an empty
// list puts the defaults back); the page's rows targets[N].name, .rule,
// .threshold, .hard, a row without a name dropped, or reset.
type targetsInput struct {
	Targets []slate.Target `json:"targets"`
	rows    []int          // the page's row of each target; nil on the API
}

func (in *targetsInput) readForm(v url.Values) error {
	in.Targets, in.rows = []slate.Target{}, []int{}
	if v.Get("reset") != "" {
		return nil
	}
	for i := 0; v.Has(fmt.Sprintf("targets[%d].name", i)); i++ {
		at := func(k string) string { return strings.TrimSpace(v.Get(fmt.Sprintf("targets[%d].%s", i, k))) }
		if at("name") == "" {
			continue
		}
		t := slate.Target{Name: at("name"), Rule: slate.Rule(at("rule")), Hard: at("hard") != ""}
		if th := at("threshold"); th != "" {
			n, err := strconv.ParseFloat(th, 64)
			if err != nil {
				return errs.OnField(fmt.Sprintf("targets[%d].threshold", i), fmt.Sprintf("第%d项:阈值须为数字", i+1))
			}
			t.Threshold = n
		}
		in.Targets, in.rows = append(in.Targets, t), append(in.rows, i)
	}
	return nil
}

func (s *Server) saveTargets() handlerFunc {
	return act(s, action[targetsInput]{
		run: func(ctx context.Context, db *store.Scoped, in targetsInput) (any, error) {
			if in.Targets == nil {
				return nil, errs.OnField("targets", "请提供指标列表")
			}
			out, err := writeOne(ctx, db, func(tx *store.Tx) ([]slate.Target, error) { return tx.SaveTargets(ctx, in.Targets) })
			return map[string]any{"targets": out}, onRows(err, "targets", in.rows)
		},
		next:   func(targetsInput, any) string { return "/targets/settings" },
		notice: "结构指标已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ targetsInput) (string, any, error) {
			return s.targetSettingsView(ctx, db)
		},
	})
}

func (s *Server) saveMargins() handlerFunc {
	return act(s, action[slate.Margins]{
		run: func(ctx context.Context, db *store.Scoped, m slate.Margins) (any, error) {
			return m, db.Write(ctx, func(tx *store.Tx) error { return tx.SaveMargins(ctx, m) })
		},
		next:   func(slate.Margins, any) string { return "/targets/settings" },
		notice: "差额设置已保存。",
		page: func(ctx context.Context, db *store.Scoped, _ slate.Margins) (string, any, error) {
			return s.targetSettingsView(ctx, db)
		},
	})
}
