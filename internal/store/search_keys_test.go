package store

import "testing"

// The keys of a name: full pinyin without tones and initials; a person's
// family name read as one (曾 is zeng, not ceng); Latin letters and digits
// kept, lower-cased; other signs left out.
func TestSearchKeys(t *testing.T) {
	for _, c := range []struct {
		name           string
		person         bool
		full, initials string
	}{
		{"张三", true, "zhangsan", "zs"},
		{"曾国强", true, "zengguoqiang", "zgq"},
		{"单田芳", true, "shantianfang", "stf"},
		{"吕丽", true, "lvli", "ll"},
		{"阿依古丽·买买提", true, "ayigulimaimaiti", "ayglmmt"},
		{"上凤凰社区", false, "shangfenghuangshequ", "sfhsq"},
		{"曾家村", false, "cengjiacun", "cjc"}, // a place: the commonest reading
		{"A区3号楼.pdf", false, "aqu3haoloupdf", "aq3hlpdf"},
		{"", false, "", ""},
	} {
		full, initials := searchKeys(c.name, c.person)
		if full != c.full || initials != c.initials {
			t.Errorf("searchKeys(%q, %v) = %q, %q; want %q, %q", c.name, c.person, full, initials, c.full, c.initials)
		}
	}
}

// A query: Chinese is matched anywhere in a name; letters (spaces and
// apostrophes dropped, case folded) at the start of a key; digits and dashes
// as a day.
func TestParseSearch(t *testing.T) {
	for _, c := range []struct {
		text string
		want searchMatch
	}{
		{"张三", searchMatch{text: "张三", like: "%张三%"}},
		{"50%_张", searchMatch{text: "50%_张", like: `%50\%\_张%`}},
		{"Zhang San", searchMatch{text: "Zhang San", key: "zhangsan"}},
		{"xi'an", searchMatch{text: "xi'an", key: "xian"}},
		{"lü", searchMatch{text: "lü", key: "lv"}},
		{"2026-05", searchMatch{text: "2026-05", date: "2026-05"}},
		{"12", searchMatch{text: "12"}},
		{"zs1", searchMatch{text: "zs1"}},
		{"!!", searchMatch{text: "!!"}},
	} {
		if got := parseSearch(c.text); got != c.want {
			t.Errorf("parseSearch(%q) = %+v; want %+v", c.text, got, c.want)
		}
	}
}
