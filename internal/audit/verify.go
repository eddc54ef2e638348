package audit

import (
	"fmt"
	"iter"
)

// Head is the chain's last entry as recorded beside the log, in the same
// transaction as every append. It catches rows removed from or added to the
// end, which the chain alone cannot.
type Head struct {
	Seq  int64
	Hash string
}

// Break names the first entry where the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("审计日志第 %d 条异常:%s", b.Seq, b.Reason)
}

// Verify walks the entries in sequence order and returns the first break, or
// nil and the number of entries checked when the whole chain holds.
func Verify(entries iter.Seq2[Entry, error], head Head) (int64, *Break, error) {
	prevSeq, prevHash := int64(0), Genesis
	for e, err := range entries {
		if err != nil {
			return prevSeq, nil, err
		}
		switch {
		case e.Seq != prevSeq+1:
			return prevSeq, &Break{Seq: prevSeq + 1, Reason: fmt.Sprintf("序号不连续(下一条是第 %d 条),有记录被删除或插入", e.Seq)}, nil
		case e.PrevHash != prevHash:
			return prevSeq, &Break{Seq: e.Seq, Reason: "前序哈希与上一条不符,有记录被删除、插入或修改"}, nil
		case e.ComputeHash() != e.Hash:
			return prevSeq, &Break{Seq: e.Seq, Reason: "内容与哈希不符,该记录被修改"}, nil
		}
		prevSeq, prevHash = e.Seq, e.Hash
	}
	if prevSeq != head.Seq || prevHash != head.Hash {
		if prevSeq == head.Seq {
			return prevSeq, &Break{Seq: prevSeq, Reason: "最后一条记录与链头登记的哈希不符,该记录被替换"}, nil
		}
		if prevSeq < head.Seq {
			return prevSeq, &Break{Seq: prevSeq + 1, Reason: fmt.Sprintf("日志末尾缺少记录(应有 %d 条,实有 %d 条)", head.Seq, prevSeq)}, nil
		}
		return prevSeq, &Break{Seq: head.Seq + 1, Reason: fmt.Sprintf("日志末尾多出记录(应有 %d 条,实有 %d 条)", head.Seq, prevSeq)}, nil
	}
	return prevSeq, nil, nil
}
