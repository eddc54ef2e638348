package election

import "github.com/huanjie/huanjie/internal/vetting"

// Choice is a voter's mark against one candidate.
type Choice string

// The marks (rules.md §3.2: for, against, abstain; a written-in name is a
// vote for that name).
const (
	Yes     Choice = "yes"     // 赞成
	No      Choice = "no"      // 不赞成
	Abstain Choice = "abstain" // 弃权 (or no mark)
)

// Mark is one mark of a ballot read aloud (唱票): a candidate by Key, or a
// name written in (Key empty, Name given, Choice Yes), for a post.
type Mark struct {
	Key    string       `json:"key,omitempty"`
	Name   string       `json:"name,omitempty"`
	Post   vetting.Post `json:"post"`
	Choice Choice       `json:"choice"`
}
