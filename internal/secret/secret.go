// Package secret protects personal data at rest: ID and phone numbers are
// sealed with AES-256-GCM under a key kept in a file outside the database, and
// found again by a keyed hash (HMAC-SHA256), so the database never holds them
// in clear and cannot be searched by brute force without the key.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/huanjie/huanjie/internal/keyfile"
)

// Box seals and opens personal data with one key file.
type Box struct {
	aead  cipher.AEAD
	mac   []byte
	check string
}

// Header is the comment written above a data key in its file.
const Header = "huanjie data key: keep it apart from database backups; losing it loses all ID and phone numbers"

// LoadOrCreate reads the key file at path, creating it (mode 0600) with a new
// random key when it does not exist.
func LoadOrCreate(path string) (*Box, error) {
	key, err := keyfile.Read(path)
	if errors.Is(err, keyfile.ErrMissing) {
		if key, err = NewKey(); err == nil {
			err = keyfile.Create(path, Header, key)
		}
	}
	if err != nil {
		return nil, err
	}
	return New(key)
}

// Load reads the key file at path; keyfile.ErrMissing when there is none.
func Load(path string) (*Box, error) {
	key, err := keyfile.Read(path)
	if err != nil {
		return nil, err
	}
	return New(key)
}

// NewKey returns 64 new random bytes for New.
func NewKey() ([]byte, error) {
	key := make([]byte, 64)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return key, nil
}

// New makes a Box from 64 bytes: 32 for AES-256-GCM, 32 for the lookup hash.
func New(key []byte) (*Box, error) {
	if len(key) != 64 {
		return nil, fmt.Errorf("data key must be 64 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key[:32])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("huanjie data key check"))
	return &Box{aead: aead, mac: append([]byte(nil), key[32:]...), check: hex.EncodeToString(m.Sum(nil)[:16])}, nil
}

// Check is the key's fingerprint: a keyed hash of the whole key that tells
// keys apart and reveals nothing of them. The database records it, so that
// a key that does not belong to it is refused before it seals anything.
func (b *Box) Check() string { return b.check }

// Seal encrypts plain; "" stays "".
func (b *Box) Seal(plain string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return base64.RawStdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, []byte(plain), nil))
}

// Open decrypts what Seal returned.
func (b *Box) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", errors.New("sealed value is malformed")
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", errors.New("sealed value does not open with this key")
	}
	return string(plain), nil
}

// Index returns the keyed hash under which plain can be looked up.
func (b *Box) Index(plain string) string {
	if plain == "" {
		return ""
	}
	m := hmac.New(sha256.New, b.mac)
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil))
}
