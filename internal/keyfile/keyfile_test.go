package keyfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCreateAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "k.key")
	if _, err := Read(path); !errors.Is(err, ErrMissing) {
		t.Fatalf("missing file: %v", err)
	}
	key := []byte{1, 2, 3, 250}
	if err := Create(path, "first line\nsecond line", key); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", info.Mode())
	}
	got, err := Read(path)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("read back %x %v", got, err)
	}
	if err := Create(path, "again", []byte{9}); err == nil {
		t.Fatal("an existing key file was overwritten")
	}
	os.WriteFile(path, []byte("# only a comment\n"), 0o600)
	if _, err := Read(path); err == nil {
		t.Fatal("a file without a key was read")
	}
	os.WriteFile(path, []byte("zz\n"), 0o600)
	if _, err := Read(path); err == nil {
		t.Fatal("a key that is not hex was read")
	}
}
