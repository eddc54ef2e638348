package testdb

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/secret"
	"github.com/huanjie/huanjie/internal/store"
)

// A Shared fixture is built once per `go test` run, not once per package:
// `go test ./...` starts each package's test binary as its child, and the
// binaries with the same parent (the go command, its process id and start
// time naming the run) find in a folder of the run's what the first of them
// built: the keys it was built with, the offset of its pinned clock, its
// checkpoint file, and the SQLite file or the name of the PostgreSQL
// template. A file lock per fixture makes the others wait while one builds.
// Nothing outlives the run: the next run's first binary removes the folders
// and databases of runs whose go command has ended. A binary started by
// anything but the go command (a shell, a debugger) builds its own, since its
// parent may outlive many builds of the code.

// keys are what a fixture is sealed and timed with.
type keys struct {
	Box    []byte        `json:"box"`   // the data key (secret.New)
	Audit  []byte        `json:"audit"` // the audit key's seed (audit.NewKey)
	Pinned bool          `json:"pinned"`
	Offset time.Duration `json:"offset"` // pinned: the clock is the real time plus this
}

// newKeys returns fresh keys and the clock EnvClock asks for.
func newKeys() (keys, error) {
	k := keys{Box: make([]byte, 64)}
	if _, err := rand.Read(k.Box); err != nil {
		return k, err
	}
	_, seed, err := audit.GenerateKey()
	if err != nil {
		return k, err
	}
	k.Audit = seed
	clock, err := clockAt(os.Getenv(EnvClock))
	if err != nil || clock == nil {
		return k, err
	}
	k.Pinned, k.Offset = true, clock().Sub(time.Now())
	return k, nil
}

// options are the store's options for k, without a checkpoint file.
func (k keys) options() (store.Options, error) {
	box, err := secret.New(k.Box)
	if err != nil {
		return store.Options{}, err
	}
	key, err := audit.NewKey(k.Audit)
	if err != nil {
		return store.Options{}, err
	}
	opts := store.Options{Box: box, AuditKey: key}
	if k.Pinned {
		offset := k.Offset
		opts.Clock = func() time.Time { return time.Now().Add(offset) }
	}
	return opts, nil
}

// sharedEntry is a shared fixture as its builder left it for the others.
type sharedEntry struct {
	Keys        keys       `json:"keys"`
	Day         civil.Date `json:"day"`
	Checkpoints []byte     `json:"checkpoints"`
	Template    string     `json:"template,omitempty"` // PostgreSQL
}

// makeShared fills im with f as the run's processes share it on e, building
// it when none has; done is false when this process cannot share (not
// started by the go command, no locks), and f is to be built alone.
func (f *Fixture) makeShared(e store.Engine, im *image) (done bool, err error) {
	r := theRun()
	if r == nil {
		return false, nil
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{f.name, string(e), os.Getenv(EnvClock), os.Getenv(EnvPostgres),
		civil.Of(time.Now()).String()}, "\x00")))
	key := hex.EncodeToString(sum[:6])
	unlock, err := lockFile(filepath.Join(r.dir, key+".lock"))
	if err != nil {
		return false, nil
	}
	defer unlock()
	entryPath, filePath := filepath.Join(r.dir, key+".json"), filepath.Join(r.dir, key+".db")
	if e == store.Postgres {
		if err := pgAdmin(); err != nil {
			return true, err
		}
	}
	if data, err := os.ReadFile(entryPath); err == nil {
		if err := im.loadShared(e, data, filePath); err == nil {
			return true, nil
		}
	}
	k, err := newKeys()
	if err != nil {
		return true, err
	}
	template := ""
	if e == store.Postgres {
		template = pgSharedPrefix + r.id + "_" + key
		if _, err := pg.db.Exec(`DROP DATABASE IF EXISTS ` + template + ` WITH (FORCE)`); err != nil {
			return true, err
		}
	}
	if err := f.buildImage(e, im, k, template); err != nil {
		return true, err
	}
	if e == store.SQLite {
		if err := writeFile(filePath, im.file); err != nil {
			return true, err
		}
	}
	data, err := json.Marshal(sharedEntry{Keys: k, Day: im.day, Checkpoints: im.checkpoints, Template: im.template})
	if err != nil {
		return true, err
	}
	return true, writeFile(entryPath, data)
}

// loadShared fills im from a shared entry and, on SQLite, its file.
func (im *image) loadShared(e store.Engine, data []byte, filePath string) error {
	var s sharedEntry
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	opts, err := s.Keys.options()
	if err != nil {
		return err
	}
	im.opts, im.day, im.checkpoints, im.template = opts, s.Day, s.Checkpoints, s.Template
	if e == store.SQLite {
		im.file, err = os.ReadFile(filePath)
		return err
	}
	var n int
	if err := pg.db.QueryRow(`SELECT COUNT(*) FROM pg_database WHERE datname = $1`, s.Template).Scan(&n); err != nil || n != 1 {
		return fmt.Errorf("shared fixture %s is gone: %v", s.Template, err)
	}
	return nil
}

// writeFile writes data at path whole or not at all.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// pgSharedPrefix begins the names of shared PostgreSQL fixtures:
// hjc_<run id>_<key>.
const pgSharedPrefix = "hjc_"

// run is the `go test` run this process belongs to.
type run struct {
	id  string // <host>_<go command's pid>_<its start time>
	dir string // the run's folder of shared fixtures
}

// theRun is this process's run, nil when it does not share fixtures.
var theRun = sync.OnceValue(func() *run {
	ppid := os.Getppid()
	if comm, err := os.ReadFile("/proc/" + strconv.Itoa(ppid) + "/comm"); err != nil || strings.TrimSpace(string(comm)) != "go" {
		return nil
	}
	start, ok := processStart(ppid)
	if !ok {
		return nil
	}
	base := filepath.Join(os.TempDir(), "huanjie-test-fixtures")
	if err := os.MkdirAll(base, 0o700); err != nil {
		return nil
	}
	r := &run{id: hostTag() + "_" + strconv.Itoa(ppid) + "_" + start}
	r.dir = filepath.Join(base, r.id)
	if old, err := os.ReadDir(base); err == nil {
		for _, d := range old {
			if d.Name() != r.id && runEnded(d.Name()) {
				os.RemoveAll(filepath.Join(base, d.Name()))
			}
		}
	}
	if err := os.MkdirAll(r.dir, 0o700); err != nil {
		return nil
	}
	return r
})

// hostTag names this machine in a run's id (a PostgreSQL server may serve
// the tests of several machines, which cannot see each other's processes).
func hostTag() string {
	h, _ := os.Hostname()
	sum := sha256.Sum256([]byte(h))
	return hex.EncodeToString(sum[:2])
}

// runEnded is whether the run with id ran on this machine and its go
// command is no longer alive.
func runEnded(id string) bool {
	parts := strings.Split(id, "_")
	if len(parts) != 3 || parts[0] != hostTag() {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil {
		return false
	}
	start, ok := processStart(pid)
	return !ok || start != parts[2]
}

// processStart is the start time of process pid (field 22 of its stat, in
// clock ticks since boot), false when there is no such process.
func processStart(pid int) (string, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return "", false
	}
	fields := strings.Fields(string(stat[i+1:])) // from field 3, the state
	if len(fields) < 20 {
		return "", false
	}
	return fields[19], true
}
