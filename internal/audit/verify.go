package audit

import (
	"fmt"
	"iter"
)

// Head is the chain's last entry as recorded beside the log, in the same
// transaction as every append. It catches rows removed from or added to the
// end, which the chain alone cannot; checkpoints kept outside the database
// catch the two changed together.
type Head struct {
	Seq  int64
	Hash string
}

// Genesis is the previous hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Break names the first entry where the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("审计日志第 %d 条异常:%s", b.Seq, b.Reason)
}

// Verifier walks a chain in sequence order under a key. It keeps the last
// digest each protected record received, for the store to compare with the
// records as they are now.
type Verifier struct {
	key      *Key
	prevSeq  int64
	prevHash string
	digests  map[string]string
	alarms   []Found
	brk      *Break
	legacy   bool
}

// Found is an alarm with the entry that raised it.
type Found struct {
	Seq    int64
	Record string // as RecordName names it
}

// NewVerifier starts a walk from the genesis.
func NewVerifier(k *Key) *Verifier {
	return &Verifier{key: k, prevHash: Genesis, digests: map[string]string{}}
}

// NewLegacyVerifier walks a chain of the first, unkeyed version.
func NewLegacyVerifier() *Verifier {
	return &Verifier{prevHash: Genesis, digests: map[string]string{}, legacy: true}
}

// Add checks the next entry. After the first break it checks nothing more
// and returns that break again.
func (v *Verifier) Add(e Entry) *Break {
	if v.brk != nil {
		return v.brk
	}
	switch {
	case e.Seq != v.prevSeq+1:
		v.brk = &Break{Seq: v.prevSeq + 1, Reason: fmt.Sprintf("序号不连续(下一条是第 %d 条),有记录被删除或插入", e.Seq)}
	case e.PrevHash != v.prevHash:
		v.brk = &Break{Seq: e.Seq, Reason: "前序哈希与上一条不符,有记录被删除、插入或修改"}
	case v.legacy && e.LegacyHash() != e.Hash, !v.legacy && e.ComputeHash(v.key) != e.Hash:
		v.brk = &Break{Seq: e.Seq, Reason: "内容与校验值不符:该记录被修改,或不是用本实例的审计密钥写入的"}
	default:
		v.prevSeq, v.prevHash = e.Seq, e.Hash
		EachDigest(e.Digests, func(record, sum string) { v.digests[record] = sum })
		EachAlarm(e.Digests, func(record string) { v.alarms = append(v.alarms, Found{e.Seq, record}) })
	}
	return v.brk
}

// Checked is the number of entries found intact so far.
func (v *Verifier) Checked() int64 { return v.prevSeq }

// Finish compares the end of the walk with the head recorded beside the log.
func (v *Verifier) Finish(head Head) *Break {
	if v.brk != nil {
		return v.brk
	}
	if v.prevSeq == head.Seq && v.prevHash == head.Hash {
		return nil
	}
	switch {
	case v.prevSeq == head.Seq:
		v.brk = &Break{Seq: v.prevSeq, Reason: "最后一条记录与链头登记的校验值不符,该记录被替换"}
	case v.prevSeq < head.Seq:
		v.brk = &Break{Seq: v.prevSeq + 1, Reason: fmt.Sprintf("日志末尾缺少记录(应有 %d 条,实有 %d 条)", head.Seq, v.prevSeq)}
	default:
		v.brk = &Break{Seq: head.Seq + 1, Reason: fmt.Sprintf("日志末尾多出记录(应有 %d 条,实有 %d 条)", head.Seq, v.prevSeq)}
	}
	return v.brk
}

// Digests are the last digest of every protected record written through
// the intact part of the chain, by RecordName.
func (v *Verifier) Digests() map[string]string { return v.digests }

// Alarms are the records writes of the intact chain found changed behind
// the platform's back, in the order they were found.
func (v *Verifier) Alarms() []Found { return v.alarms }

// Verify walks the entries in sequence order under k and returns the first
// break, or nil and the number of entries checked when the whole chain holds.
func Verify(entries iter.Seq2[Entry, error], head Head, k *Key) (int64, *Break, error) {
	v := NewVerifier(k)
	for e, err := range entries {
		if err != nil {
			return v.Checked(), nil, err
		}
		if brk := v.Add(e); brk != nil {
			return v.Checked(), brk, nil
		}
	}
	return v.Checked(), v.Finish(head), nil
}
