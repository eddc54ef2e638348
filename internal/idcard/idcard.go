// Package idcard validates 18-digit resident ID numbers (居民身份证号码,
// GB 11643-1999) and derives the birth date and sex they encode.
package idcard

import (
	"time"

	"github.com/huanjie/huanjie/internal/errs"
)

// Info is what an ID number tells about its holder.
type Info struct {
	Region string    // 6-digit address code
	Birth  time.Time // date of birth, UTC midnight
	Male   bool      // odd sequence digit
}

// Sex is 男 or 女.
func (i Info) Sex() string {
	if i.Male {
		return "男"
	}
	return "女"
}

// AgeOn is the holder's age in whole years on day.
func (i Info) AgeOn(day time.Time) int {
	age := day.Year() - i.Birth.Year()
	if day.Month() < i.Birth.Month() || (day.Month() == i.Birth.Month() && day.Day() < i.Birth.Day()) {
		age--
	}
	return age
}

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// CheckDigit computes the 18th character for the first 17 digits.
func CheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * weights[i]
	}
	return checkChars[sum%11]
}

// Parse validates an ID number and returns what it encodes. A lower-case x
// is accepted for the check character. The address code must begin with a
// province of GB/T 2260 (or DemoProvince); a county the embedded list lacks
// is no refusal but a warning (Info.RegionWarning).
func Parse(id string) (Info, error) {
	if len(id) != 18 {
		return Info{}, errs.OnField("id_number", "身份证号码应为18位")
	}
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return Info{}, errs.OnField("id_number", "身份证号码前17位必须是数字")
		}
	}
	if !provinces[id[:2]] && id[:2] != DemoProvince {
		return Info{}, errs.OnField("id_number", "身份证号码的前两位不是有效的省级行政区划代码,请核对")
	}
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	if last != CheckDigit(id[:17]) {
		return Info{}, errs.OnField("id_number", "身份证号码校验位不正确,请核对")
	}
	birth, err := time.Parse("20060102", id[6:14])
	if err != nil || birth.Year() < 1900 {
		return Info{}, errs.OnField("id_number", "身份证号码中的出生日期无效")
	}
	return Info{Region: id[:6], Birth: birth, Male: (id[16]-'0')%2 == 1}, nil
}

// Normalize upper-cases a trailing x.
func Normalize(id string) string {
	if len(id) == 18 && id[17] == 'x' {
		return id[:17] + "X"
	}
	return id
}
