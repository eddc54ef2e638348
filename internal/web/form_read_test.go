package web

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
)

// A form fills an input by its JSON names: text as typed, days trimmed,
// numbers parsed (a bad one refused on its field), an empty optional
// number left nil, lists from repeated fields; records and maps are left
// to the JSON or the input's own readForm, whatever a stranger posts.
func TestReadForm(t *testing.T) {
	t.Parallel()
	type record struct{ A string }
	type input struct {
		Name   string            `json:"name"`
		Day    civil.Date        `json:"day"`
		Count  int               `json:"count"`
		Votes  *int              `json:"votes"`
		Agreed bool              `json:"agreed"`
		IDs    []int64           `json:"ids"`
		Tags   []string          `json:"tags"`
		Nested *record           `json:"nested"`
		Map    map[string]string `json:"map"`
		Skip   string            `json:"-"`
	}
	var in input
	err := readForm(url.Values{"name": {" 张三 "}, "day": {" 2027-03-30 "}, "count": {"12"}, "votes": {""}, "agreed": {"on"},
		"ids": {"3", "7"}, "tags": {"甲", "乙"}, "nested": {"x"}, "map": {"y"}, "Skip": {"z"}}, &in)
	if err != nil {
		t.Fatal(err)
	}
	want := input{Name: " 张三 ", Day: "2027-03-30", Count: 12, Agreed: true, IDs: []int64{3, 7}, Tags: []string{"甲", "乙"}}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("read %+v, want %+v", in, want)
	}
	for field, bad := range map[string]string{"count": "十二", "votes": "1.5", "ids": "x"} {
		var in input
		err := readForm(url.Values{field: {bad}}, &in)
		if errs.CodeOf(err) != errs.Unprocessable || errs.FieldOf(err) != field {
			t.Errorf("%s=%q: %v, want a 422 on %s", field, bad, err, field)
		}
	}
	in = input{}
	if err := readForm(url.Values{"votes": {"0"}}, &in); err != nil || in.Votes == nil || *in.Votes != 0 {
		t.Errorf("votes=0 read as %v (%v): a zero typed is a zero", in.Votes, err)
	}
}
