package vetting

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

var receiptFormat = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$`)

func TestNewReceipt(t *testing.T) {
	if ReceiptBits < 80 {
		t.Fatalf("receipts carry %d bits", ReceiptBits)
	}
	const n = 20000
	seen := map[string]bool{}
	var counts [32]int
	var ones [100]int // how often each of the 100 bits is set
	for range n {
		r := NewReceipt()
		if !receiptFormat.MatchString(r) {
			t.Fatalf("receipt %q", r)
		}
		if seen[r] {
			t.Fatalf("receipt %q repeated", r)
		}
		seen[r] = true
		compact := strings.ReplaceAll(r, "-", "")
		for i, c := range []byte(compact) {
			v := strings.IndexByte(receiptAlphabet, c)
			counts[v]++
			for b := range 5 {
				ones[i*5+b] += v >> b & 1
			}
		}
		if p, err := ParseReceipt(r); err != nil || p != r {
			t.Fatalf("ParseReceipt(%q) = %q, %v", r, p, err)
		}
	}
	// Every symbol appears about n*20/32 = 12500 times; every bit is set about
	// half the time. The bounds are more than 6 standard deviations wide.
	for v, c := range counts {
		if c < 11800 || c > 13200 {
			t.Errorf("symbol %c appears %d times", receiptAlphabet[v], c)
		}
	}
	for i, c := range ones {
		if c < n/2-600 || c > n/2+600 {
			t.Errorf("bit %d set %d times of %d", i, c, n)
		}
	}
	if len(receiptAlphabet) != 32 || strings.ContainsAny(receiptAlphabet, "ILOU") {
		t.Fatal("not Crockford's alphabet")
	}
}

func TestParseReceipt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"7K3QD-9XH2M-PV0TB-4R8WN", "7K3QD-9XH2M-PV0TB-4R8WN"},
		{"7k3qd9xh2mpv0tb4r8wn", "7K3QD-9XH2M-PV0TB-4R8WN"},
		{" 7K3QD 9XH2M\tPV0TB 4R8WN ", "7K3QD-9XH2M-PV0TB-4R8WN"},
		{"7K3QD—9XH2M－PVOTB-4R8WN", "7K3QD-9XH2M-PV0TB-4R8WN"}, // full-width dashes, O for 0
		{"iiiii-LLLLL-00000-ooooo", "11111-11111-00000-00000"},
		{"7K3QD-9XH2M-PV0TB-4R8W", ""},   // 19 characters
		{"7K3QD-9XH2M-PV0TB-4R8WNN", ""}, // 21
		{"7K3QD-9XH2M-PV0TB-4R8WU", ""},  // U is not in the alphabet
		{"7K3QD-9XH2M-PV0TB-4R8W你", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ParseReceipt(tt.in)
		if tt.want == "" {
			if !errs.Is(err, errs.NotFound) || !strings.Contains(errs.MessageOf(err), "回执码不存在") {
				t.Errorf("ParseReceipt(%q) = %q, %v; want not found", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseReceipt(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestTipValidate(t *testing.T) {
	valid := Tip{OrgCode: "QS-01-001", Category: TipBribery, Description: "有人在小区门口发放购物卡,要求投票给某人。"}
	tests := []struct {
		name  string
		edit  func(*Tip)
		field string
		want  string
	}{
		{"valid, anonymous", func(*Tip) {}, "", ""},
		{"valid with person and contact", func(t *Tip) { t.Person, t.Contact = "王某", "13900000000" }, "", ""},
		{"no community", func(t *Tip) { t.OrgCode = "" }, "community", "请填写所在社区"},
		{"no category", func(t *Tip) { t.Category = "rumour" }, "category", "请选择举报类别"},
		{"short description", func(t *Tip) { t.Description = "  有人贿选  " }, "description", "问题描述至少10个字"},
		{"empty description", func(t *Tip) { t.Description = "" }, "description", "请填写问题描述"},
		{"long description", func(t *Tip) { t.Description = strings.Repeat("票", 2001) }, "description", "不超过2000个字"},
		{"long contact", func(t *Tip) { t.Contact = strings.Repeat("1", 51) }, "contact", "联系方式不超过50个字"},
		{"long person", func(t *Tip) { t.Person = strings.Repeat("王", 31) }, "person", "被举报人不超过30个字"},
	}
	for _, tt := range tests {
		tip := valid
		tt.edit(&tip)
		err := tip.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if errs.FieldOf(err) != tt.field || !strings.Contains(errs.MessageOf(err), tt.want) {
			t.Errorf("%s: %v, want %s: %q", tt.name, err, tt.field, tt.want)
		}
	}
}

func TestTipMove(t *testing.T) {
	created := time.Date(2026, 2, 12, 23, 30, 0, 0, time.UTC) // the 13th in China
	tip := Tip{Receipt: NewReceipt(), Status: TipReceived, Description: "举报内容不公开", Contact: "13900000000", CreatedAt: created, UpdatedAt: created}
	later := created.Add(48 * time.Hour)
	if err := tip.Move(TipClosed, "查实", later); !errs.Is(err, errs.Conflict) ||
		errs.MessageOf(err) != "举报当前为“已受理”,不能直接变为“已办结”;下一步只能是:核查中" {
		t.Fatalf("skip to closed: %v", err)
	}
	if err := tip.Move(TipVerifying, "", later); err != nil || tip.Status != TipVerifying || !tip.UpdatedAt.Equal(later) {
		t.Fatalf("to verifying: %v %+v", err, tip)
	}
	if err := tip.Move(TipClosed, " 查实 ", later); errs.FieldOf(err) != "result" || tip.Status != TipVerifying {
		t.Fatalf("close with a short result: %v, status %s", err, tip.Status)
	}
	if err := tip.Move(TipClosed, "经核查,反映问题属实,已移交纪委立案。", later); err != nil || tip.Status != TipClosed || tip.Result == "" {
		t.Fatalf("close: %v %+v", err, tip)
	}
	if err := tip.Move(TipVerifying, "", later); errs.MessageOf(err) != "举报已是“已办结”,状态不能再变更" {
		t.Fatalf("reopen: %v", err)
	}
	p := tip.Public()
	if p.Receipt != tip.Receipt || p.Status != TipClosed || p.StatusLabel != "已办结" || p.SubmittedOn != "2026-02-13" || p.UpdatedOn != civil.Of(later) {
		t.Fatalf("public view %+v", p)
	}
	for _, c := range TipCategories {
		if c.Label() == "" {
			t.Errorf("category %s has no label", c)
		}
	}
}
