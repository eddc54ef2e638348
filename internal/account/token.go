package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Session and token lifetimes.
const (
	SessionLifetime = 12 * time.Hour
	SessionCookie   = "huanjie_session"
	APITokenPrefix  = "hjt_"
)

// NewSecret returns a random URL-safe secret of 32 bytes (256 bits). Only its
// hash (TokenHash) is stored, so a leaked database does not leak sessions.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is what the database keeps of a session or API token.
func TokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// APIToken is a long-lived credential for integrations, sent as
// "Authorization: Bearer hjt_…".
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	CreatedAt time.Time
	LastUsed  time.Time
}
