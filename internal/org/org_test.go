package org

import "testing"

func TestScopeBounds(t *testing.T) {
	s := Within("/QS/QS-1/")
	in := []string{"/QS/QS-1/", "/QS/QS-1/QS-1-001/", "/QS/QS-1/a/b/"}
	out := []string{"/QS/", "/QS/QS-10/", "/QS/QS-1-x/", "/QS/QS-2/", "/QS/QS-1", "/QS/QS-1.5/"}
	for _, p := range in {
		if !s.Contains(p) {
			t.Errorf("%s should be in scope", p)
		}
	}
	for _, p := range out {
		if s.Contains(p) {
			t.Errorf("%s should be outside scope", p)
		}
	}
	if (Scope{}).Contains("/QS/") || (Scope{Path: "/QS"}).Contains("/QS/") {
		t.Error("a zero or malformed scope must match nothing")
	}
	if !All.Contains("/QS/QS-1/") {
		t.Error("All must contain everything")
	}
	if PathOf("", "QS") != "/QS/" || PathOf("/QS/", "QS-1") != "/QS/QS-1/" {
		t.Error("PathOf")
	}
}

func TestUnitValidate(t *testing.T) {
	good := Unit{Code: "QS-01_a", Name: "东部片区", Kind: District}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Unit{
		{Code: "", Name: "x", Kind: District},
		{Code: "a b", Name: "x", Kind: District},
		{Code: "-a", Name: "x", Kind: District},
		{Code: "a", Name: " ", Kind: District},
		{Code: "a", Name: "x", Kind: "province"},
		{Code: "a", Name: "x", Kind: Community, Households: -1},
	}
	for _, u := range bad {
		if u.Validate() == nil {
			t.Errorf("%+v accepted", u)
		}
	}
}

func TestCommonScope(t *testing.T) {
	cases := map[string][]string{
		"":                     nil,
		"/QS/QS-01/QS-01-001/": {"/QS/QS-01/QS-01-001/"},
		"/QS/QS-01/":           {"/QS/QS-01/QS-01-001/", "/QS/QS-01/QS-01-002/"},
		"/QS/":                 {"/QS/QS-01/QS-01-001/", "/QS/QS-02/"},
		"/":                    {"/QS/QS-01/", "/ZZ/"},
	}
	for want, paths := range cases {
		if got := CommonScope(paths); got != want {
			t.Errorf("CommonScope(%v) = %q, want %q", paths, got, want)
		}
	}
	a := Assignment{Duty: DistrictLeader, Name: "王强", Phone: "0533-1234567"}
	if err := a.Validate(District); err != nil {
		t.Fatal(err)
	}
	if a.Validate(Community) == nil || (&Assignment{Duty: CommunityCadre, Name: "李"}).Validate(District) == nil ||
		(&Assignment{Duty: CommunityCadre, Name: "李", Phone: "abc"}).Validate(Community) == nil {
		t.Fatal("bad assignments accepted")
	}
}
