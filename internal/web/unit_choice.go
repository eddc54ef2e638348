package web

import (
	"context"
	"strings"

	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// How a form offers the units of its community (or unit) field: a select of
// every one while the reader's scope holds at most choiceMax, else a field
// typed with the unit's name or code (unitOf), so that a province of
// 100,000 communities does not send each of them with every page.
const choiceMax = 500

// unitChoice is what a form's unit field offers: Options, or Typed.
type unitChoice struct {
	Options []org.Unit
	Typed   bool
}

// unitChoiceOf reads the units of kind ("" every kind) in scope, at most
// choiceMax of them.
func unitChoiceOf(ctx context.Context, db *store.Scoped, kind org.Kind) (unitChoice, error) {
	units, err := db.ListOrgs(ctx, store.OrgFilter{Kind: kind, Limit: choiceMax + 1})
	if err != nil || len(units) > choiceMax {
		return unitChoice{Typed: true}, err
	}
	return unitChoice{Options: units}, nil
}

// unitOf is the code of the unit of kind in scope that a field holds: its
// code or, typed, its name, which must then name one unit only. An empty
// field stays empty. The error is on field, in words the reader acts on.
func unitOf(ctx context.Context, db *store.Scoped, kind org.Kind, field, s string) (string, error) {
	return pickUnit(kind, field, s, "管辖范围内", func(s string) ([]string, error) {
		units, err := db.UnitsNamed(ctx, kind, s, 6)
		codes := make([]string, len(units))
		for i, u := range units {
			codes[i] = u.Code
		}
		return codes, err
	})
}

// pickUnit is unitOf with find answering the codes of the units s names,
// within where ("管辖范围内", or "" for the public's whole list).
func pickUnit(kind org.Kind, field, s, where string, find func(string) ([]string, error)) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	what := "单位"
	if kind == org.Community {
		what = "社区"
	}
	codes, err := find(s)
	switch {
	case err != nil:
		return "", err
	case len(codes) == 0:
		return "", errs.OnField(field, where+"没有名称或编码为“"+s+"”的"+what)
	case len(codes) > 1:
		return "", errs.OnField(field, "名为“"+s+"”的"+what+"不止一个,请填写编码,如 "+strings.Join(codes[:min(len(codes), 5)], "、"))
	}
	return codes[0], nil
}

// filterUnit is unitOf for a list's filter: one that names no unit is kept
// as typed (it selects nothing) and its problem is answered, to show beside
// the field, where a form's would refuse the form.
func filterUnit(ctx context.Context, db *store.Scoped, kind org.Kind, s string) (code, problem string, err error) {
	code, err = unitOf(ctx, db, kind, "community", s)
	if errs.Is(err, errs.Unprocessable) {
		return s, errs.MessageOf(err), nil
	}
	return code, "", err
}
