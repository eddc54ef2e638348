package idcard

import (
	_ "embed"
	"sort"
	"strings"
)

// regionList is regions.txt: GB/T 2260 codes, current and historic; the
// file's header says where they come from and when they were taken.
//
//go:embed regions.txt
var regionList string

// regions is regionList's codes, sorted.
var regions = func() []string {
	var out []string
	for _, line := range strings.Split(regionList, "\n") {
		if line = strings.TrimSpace(line); line != "" && line[0] != '#' {
			out = append(out, line)
		}
	}
	sort.Strings(out)
	return out
}()

// DemoProvince is the province part of the address code of demo and test ID
// numbers. No province has it in GB/T 2260, so that no demo number can be a
// real person's; it is accepted, with a warning (RegionWarning).
const DemoProvince = "99"

// provinces are the first two digits of every province-level division of
// GB/T 2260: 11–15 north, 21–23 north-east, 31–37 east, 41–46 south
// central, 50–54 south-west, 61–65 north-west, 71 台湾, 81 香港, 82 澳门, and
// 83, the code of Taiwan residents' residence permits (台湾居民居住证).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// knownRegion reports whether code is in the embedded GB/T 2260 list.
func knownRegion(code string) bool {
	i := sort.SearchStrings(regions, code)
	return i < len(regions) && regions[i] == code
}

// RegionWarning is what a reviewer should know about the address code of
// an ID number that Parse accepted: "" for a code of the GB/T 2260 list, a
// Chinese sentence otherwise. A code the list lacks may still be real (one
// retired before 2002, or one newer than the list), so it is never refused.
func (i Info) RegionWarning() string { return RegionWarning(i.Region) }

// RegionWarning is Info.RegionWarning of the ID number id, full or masked
// (the address code is its first six characters, which masks keep); "" when
// id does not begin with six digits, which Parse refuses anyway.
func RegionWarning(id string) string {
	if len(id) < 6 {
		return ""
	}
	region := id[:6]
	for i := 0; i < 6; i++ {
		if region[i] < '0' || region[i] > '9' {
			return ""
		}
	}
	switch {
	case strings.HasPrefix(region, DemoProvince):
		return "身份证号码的地址码 " + region + " 是演示数据专用的代码,不是真实的行政区划"
	case !knownRegion(region):
		return "身份证号码的地址码 " + region + " 不在内置的行政区划代码表(GB/T 2260,含历史代码)中,请核对证件"
	}
	return ""
}
