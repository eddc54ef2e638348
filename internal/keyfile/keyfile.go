// Package keyfile reads and writes the platform's key files: a comment
// header and one line of hex, mode 0600, beside the database and never in
// it. The data key (internal/secret) and the audit key (internal/audit)
// are kept this way.
package keyfile

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrMissing is returned by Read when the file does not exist.
var ErrMissing = errors.New("key file does not exist")

// Read returns the key in the file at path: its first line that is neither
// empty nor a comment, as hex.
func Read(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrMissing)
	}
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, err := hex.DecodeString(line)
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", path, err)
		}
		return key, nil
	}
	return nil, fmt.Errorf("key file %s holds no key", path)
}

// Create writes a new key file at path (mode 0600, synced) with the comment
// lines of header above the key; it never overwrites a file.
func Create(path, header string, key []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(header), "\n") {
		b.WriteString("# " + line + "\n")
	}
	b.WriteString(hex.EncodeToString(key) + "\n")
	return writeNew(path, []byte(b.String()))
}

// Install puts the key file at pending in path's place, keeping the file
// it replaces as kept: a hard link (or a copy) first, so that path always
// holds a whole key, then a rename over it, then a sync of the folder.
func Install(pending, path, kept string) error {
	if err := os.Link(path, kept); err != nil {
		raw, rerr := os.ReadFile(path)
		if rerr != nil {
			return err
		}
		if err := writeNew(kept, raw); err != nil {
			return err
		}
	}
	if err := os.Rename(pending, path); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

// writeNew writes raw to a new file at path (mode 0600, synced); it never
// overwrites a file.
func writeNew(path string, raw []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
