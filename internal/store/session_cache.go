package store

import (
	"strings"
	"sync"
	"time"

	"github.com/huanjie/huanjie/internal/account"
)

// sessionCacheFor is how long a session read from the database answers
// again from memory (issue 17: "the session once per request, or a short
// cache invalidated on change"). A write of this process that changes
// accounts, sessions, departments or the org tree empties the cache when
// it commits; another server's (or a command's) change is seen within this
// time. A client that sends requests in quick succession (an import, the
// count desk, the visits' outbox, an API script) reads its session once a
// second instead of with every request.
const sessionCacheFor = time.Second

// sessionCacheMax bounds the sessions kept: beyond it the cache starts
// again empty. Only live sessions are kept, so a stranger cannot fill it.
const sessionCacheMax = 10000

// sessionCache holds the users of live sessions by their token's hash.
type sessionCache struct {
	mu    sync.Mutex
	gen   uint64 // moved on by every emptying, so a read that began before one is not kept
	users map[string]cachedSession
}

type cachedSession struct {
	user    account.User
	expires time.Time // the session's end, on the store's clock
	until   time.Time // the end of its place here, on the machine's monotonic clock
}

// get is the user of the session with token hash h, if kept and not stale
// at now (the store's clock).
func (c *sessionCache) get(h string, now time.Time) (account.User, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.users[h]
	if ok && now.Before(e.expires) && time.Now().Before(e.until) {
		return e.user, c.gen, true
	}
	return account.User{}, c.gen, false
}

// put keeps u for the session with token hash h, read when the cache was
// at gen: not when it was emptied since.
func (c *sessionCache) put(h string, gen uint64, u account.User, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.users == nil || len(c.users) >= sessionCacheMax {
		c.users = map[string]cachedSession{}
	}
	c.users[h] = cachedSession{user: u, expires: expires, until: time.Now().Add(sessionCacheFor)}
}

// empty forgets every session.
func (c *sessionCache) empty() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.users = nil
}

// changesAccounts reports whether a statement changes or deletes rows a
// session's user is read from. It runs on every statement of a write,
// inside the write lock: a scan for the store's upper-case verbs, not a
// regular expression (8 µs a statement, a tenth of a ledger note's write).
func changesAccounts(query string) bool {
	for _, verb := range [...]string{"UPDATE", "DELETE FROM"} {
		for rest := query; ; {
			i := strings.Index(rest, verb)
			if i < 0 {
				break
			}
			rest = rest[i+len(verb):]
			if after := strings.TrimLeft(rest, " \t\r\n"); len(after) < len(rest) {
				rest = after
			} else {
				continue // UPDATED, a word that begins so
			}
			for _, table := range [...]string{"users", "sessions", "orgs", "departments"} {
				if strings.HasPrefix(rest, table) && (len(rest) == len(table) || !isWordByte(rest[len(table)])) {
					return true
				}
			}
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
