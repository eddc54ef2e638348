package vetting

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/errs"
)

func TestTransitionMatrix(t *testing.T) {
	// Every allowed step, written out independently of the machine's table.
	allowed := map[[2]Status]bool{}
	for _, s := range []string{
		"registered>under_review", "under_review>reviewed",
		"reviewed>qualified", "reviewed>barred", "reviewed>unsuitable", "reviewed>under_review",
		"qualified>under_review", "unsuitable>withdrawn", "unsuitable>under_review",
		"registered>disqualified", "under_review>disqualified", "reviewed>disqualified",
		"qualified>disqualified", "unsuitable>disqualified",
	} {
		from, to, _ := strings.Cut(s, ">")
		allowed[[2]Status{Status(from), Status(to)}] = true
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			err := Transition(from, to)
			if want := allowed[[2]Status{from, to}]; want != (err == nil) {
				t.Errorf("%s → %s: %v, want allowed=%v", from, to, err, want)
			}
			if err != nil && !errs.Is(err, errs.Conflict) {
				t.Errorf("%s → %s: code %s", from, to, errs.CodeOf(err))
			}
		}
	}
	if err := Transition("elected", Qualified); !errs.Is(err, errs.Unprocessable) {
		t.Errorf("unknown status: %v", err)
	}
}

func TestTransitionMessages(t *testing.T) {
	tests := []struct {
		from, to Status
		want     string
	}{
		{Registered, Qualified, "参选人当前为“已登记”,不能直接变为“资格通过”;下一步只能是:联审中、取消参选资格"},
		{UnderReview, Barred, "参选人当前为“联审中”,不能直接变为“存在不得情形”;下一步只能是:联审完成、取消参选资格"},
		{Reviewed, Withdrawn, "参选人当前为“联审完成”,不能直接变为“已劝退”;下一步只能是:资格通过、存在不得情形、存在不宜情形、联审中、取消参选资格"},
		{Barred, Qualified, "参选人已是“存在不得情形”,状态不能再变更"},
		{Disqualified, UnderReview, "参选人已是“取消参选资格”,状态不能再变更"},
		{Qualified, Qualified, "参选人已是“资格通过”状态"},
	}
	for _, tt := range tests {
		if got := errs.MessageOf(Transition(tt.from, tt.to)); got != tt.want {
			t.Errorf("%s → %s:\n got %s\nwant %s", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestStatusProperties(t *testing.T) {
	final := map[Status]bool{Barred: true, Withdrawn: true, Disqualified: true}
	for _, s := range Statuses {
		if s.Label() == "" || !s.Valid() {
			t.Errorf("%s has no label", s)
		}
		if s.Final() != final[s] {
			t.Errorf("%s final = %v", s, s.Final())
		}
		if s.CanStartRound(SecondRound) != (s == Registered || s == Reviewed || s == Qualified || s == Unsuitable) {
			t.Errorf("%s can start a second round = %v", s, s.CanStartRound(SecondRound))
		}
		if s.CanStartRound(FirstRound) != (s == Registered) {
			t.Errorf("%s can start a first round = %v", s, s.CanStartRound(FirstRound))
		}
	}
	next := Registered.Next()
	next[0] = Qualified // a copy: the machine is not changed
	if Transition(Registered, Qualified) == nil {
		t.Fatal("Next exposed the machine's table")
	}
	if Status("x").Final() || Status("x").Valid() {
		t.Error("unknown status is final or valid")
	}
}
