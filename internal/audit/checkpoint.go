package audit

import (
	"bufio"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Checkpoint is a signed statement of the chain's head at a moment: the
// platform appends one to a file outside the database every hour and at
// every daily meeting, prints it on minutes and reports, and the office files
// it with the higher level. A log later cut back below it, wiped, or
// rewritten before it no longer agrees with it.
type Checkpoint struct {
	Seq  int64
	Hash string
	At   time.Time
	Key  string // the signing key's fingerprint
	Sig  string // Ed25519 over the statement's other fields
}

const checkpointPrefix = "huanjie-checkpoint v1 "

func (c Checkpoint) payload() string {
	return fmt.Sprintf("%sseq=%d hash=%s at=%s key=%s", checkpointPrefix, c.Seq, c.Hash,
		c.At.UTC().Format(time.RFC3339), c.Key)
}

// String is the checkpoint's one line, as kept in the checkpoint file.
func (c Checkpoint) String() string { return c.payload() + " sig=" + c.Sig }

// Checkpoint signs a statement of head at moment at.
func (k *Key) Checkpoint(head Head, at time.Time) Checkpoint {
	c := Checkpoint{Seq: head.Seq, Hash: head.Hash, At: at.UTC().Truncate(time.Second), Key: k.Fingerprint()}
	c.Sig = base64.RawURLEncoding.EncodeToString(ed25519.Sign(k.sign, []byte(c.payload())))
	return c
}

// VerifyCheckpoint checks that c was signed with k.
func (k *Key) VerifyCheckpoint(c Checkpoint) error {
	if c.Key != k.Fingerprint() {
		return fmt.Errorf("检查点由另一把密钥(指纹 %s)签署,不是本实例的密钥(指纹 %s)", c.Key, k.Fingerprint())
	}
	sig, err := base64.RawURLEncoding.DecodeString(c.Sig)
	if err != nil || !ed25519.Verify(k.pub, []byte(c.payload()), sig) {
		return errors.New("检查点的签名不对,内容被改动过")
	}
	return nil
}

// ParseCheckpoint reads one checkpoint line.
func ParseCheckpoint(line string) (Checkpoint, error) {
	var c Checkpoint
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), checkpointPrefix)
	if !ok {
		return c, errors.New("不是检查点")
	}
	fields := map[string]string{}
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return c, fmt.Errorf("检查点字段 %q 格式不对", f)
		}
		fields[k] = v
	}
	var err error
	if c.Seq, err = strconv.ParseInt(fields["seq"], 10, 64); err != nil || c.Seq < 0 {
		return c, errors.New("检查点的序号不对")
	}
	if c.At, err = time.Parse(time.RFC3339, fields["at"]); err != nil {
		return c, errors.New("检查点的时间不对")
	}
	c.Hash, c.Key, c.Sig = fields["hash"], fields["key"], fields["sig"]
	if len(c.Hash) != 64 || c.Key == "" || c.Sig == "" {
		return c, errors.New("检查点缺少哈希、密钥指纹或签名")
	}
	return c, nil
}

// ReadCheckpoints returns every checkpoint line in r (other lines, such as
// the Chinese text of a printed statement, are skipped), in order. A line
// that starts like a checkpoint but does not parse is an error.
func ReadCheckpoints(r io.Reader) ([]Checkpoint, error) {
	var out []Checkpoint
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, checkpointPrefix) {
			continue
		}
		c, err := ParseCheckpoint(line)
		if err != nil {
			return nil, fmt.Errorf("第 %d 行:%w", n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// Statement is the text `huanjie audit checkpoint` prints for the office to
// sign and file with the higher level: the checkpoint line with what it
// means and how to check it.
func (k *Key) Statement(c Checkpoint) string {
	return fmt.Sprintf(`换届工作平台审计日志检查点声明

截至 %s(北京时间),本平台审计日志共 %d 条记录,
最后一条记录的校验值为:
  %s

本声明由平台实例密钥(Ed25519,指纹 %s)签署。公钥:
  %s

日后核对:huanjie audit verify --checkpoint 本文件
若审计日志被删改、回退或清空,核对将失败并指出问题。

%s
`, c.At.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05"), c.Seq, c.Hash, c.Key, k.PublicKey(), c)
}
