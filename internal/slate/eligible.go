package slate

import "github.com/huanjie/huanjie/internal/vetting"

// Eligible reports whether an aspirant in status st may be proposed in the
// third gate (recommended as an 初步人选, assessed, predicted, made a
// candidate): only one the party committee's second review qualified. The
// reason says why not, in Chinese, for the page beside the name.
func Eligible(st vetting.Status) (ok bool, reason string) {
	switch st {
	case vetting.Qualified:
		return true, ""
	case vetting.Registered, vetting.UnderReview, vetting.Reviewed:
		return false, "资格审查尚未完成(" + st.Label() + "),不能提名"
	case vetting.Barred:
		return false, "二次审核认定存在不得情形,不能提名"
	case vetting.Unsuitable:
		return false, "二次审核认定存在不宜情形,不能提名"
	case vetting.Withdrawn:
		return false, "已劝退,不能提名"
	case vetting.Disqualified:
		return false, "已因案件取消参选资格,不能提名"
	}
	return false, "资格状态不明,不能提名"
}
