package audit

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"sync"

	"github.com/huanjie/huanjie/internal/keyfile"
)

// Key is the instance's audit key. It seals every entry of the chain and
// every protected record's digest (HMAC-SHA256), and signs checkpoints of the
// chain's head (Ed25519). It lives in a file beside the data key, outside the
// database and its backups, so that whoever holds only the database can read
// the log but cannot append to it, rewrite it or truncate it unnoticed.
type Key struct {
	mac  []byte
	sign ed25519.PrivateKey
	pub  ed25519.PublicKey
	macs sync.Pool // HMAC states under mac, reused: a round digests 100,000 records
}

// KeySize is the length of the seed kept in the key file.
const KeySize = 32

// NewKey derives the audit key from a 32-byte seed.
func NewKey(seed []byte) (*Key, error) {
	if len(seed) != KeySize {
		return nil, fmt.Errorf("audit key must be %d bytes, got %d", KeySize, len(seed))
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, seed)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	priv := ed25519.NewKeyFromSeed(derive("huanjie audit signing key"))
	return &Key{mac: derive("huanjie audit mac key"), sign: priv, pub: priv.Public().(ed25519.PublicKey)}, nil
}

// GenerateKey returns a new random key and its seed.
func GenerateKey() (*Key, []byte, error) {
	seed := make([]byte, KeySize)
	if _, err := rand.Read(seed); err != nil {
		return nil, nil, err
	}
	k, err := NewKey(seed)
	return k, seed, err
}

// ErrNoKeyFile is returned by LoadKey when the key file does not exist.
var ErrNoKeyFile = keyfile.ErrMissing

// LoadKey reads the key file at path.
func LoadKey(path string) (*Key, error) {
	seed, err := keyfile.Read(path)
	if err != nil {
		return nil, err
	}
	return NewKey(seed)
}

// CreateKey writes a new key file at path (mode 0600); it never overwrites one.
func CreateKey(path string) (*Key, error) {
	k, seed, err := GenerateKey()
	if err != nil {
		return nil, err
	}
	return k, keyfile.Create(path, "huanjie audit key: seals the audit log and signs its checkpoints.\n"+
		"Keep it with the data key, apart from database backups; without it the log cannot be verified or extended.", seed)
}

// sum is the keyed hash of data, hex.
func (k *Key) sum(domain string, data []byte) []byte {
	return k.sumOf(domain, func(w hash.Hash) { w.Write(data) })
}

// sumOf is sum of what write writes, without building it first.
func (k *Key) sumOf(domain string, write func(hash.Hash)) []byte {
	m, _ := k.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, k.mac)
	}
	m.Reset()
	m.Write([]byte(domain))
	m.Write([]byte{0})
	write(m)
	out := m.Sum(nil)
	k.macs.Put(m)
	return out
}

// Check is a value that tells this key from another without revealing it;
// the database keeps it, so that the platform refuses to start with the
// wrong key instead of sealing new entries no one can verify.
func (k *Key) Check() string { return hex.EncodeToString(k.sum("key check", nil)[:16]) }

// PublicKey is the checkpoint signing key in text, for the higher level to
// verify statements with.
func (k *Key) PublicKey() string { return "ed25519:" + base64.StdEncoding.EncodeToString(k.pub) }

// Fingerprint is a short name of the public key, printed on statements.
func (k *Key) Fingerprint() string {
	sum := sha256.Sum256(k.pub)
	return hex.EncodeToString(sum[:8])
}
