package secret

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyFileSealOpenIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "huanjie.key")
	a, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v", info.Mode(), err)
	}
	b, err := LoadOrCreate(path) // the same key again
	if err != nil {
		t.Fatal(err)
	}
	const id = "990101198001010011"
	sealed := a.Seal(id)
	if strings.Contains(sealed, id) || sealed == a.Seal(id) {
		t.Fatal("sealing must hide the value and differ each time")
	}
	if got, err := b.Open(sealed); err != nil || got != id {
		t.Fatalf("open with the reloaded key: %q %v", got, err)
	}
	if a.Index(id) != b.Index(id) || a.Index(id) == a.Index("990101198001010029") {
		t.Fatal("index must be stable per key and differ per value")
	}
	other, _ := LoadOrCreate(filepath.Join(t.TempDir(), "other.key"))
	if _, err := other.Open(sealed); err == nil {
		t.Fatal("another key opened the value")
	}
	if other.Index(id) == a.Index(id) {
		t.Fatal("index must depend on the key")
	}
	if a.Seal("") != "" || a.Index("") != "" {
		t.Fatal("empty stays empty")
	}
	os.WriteFile(path, []byte("# nothing\n"), 0o600)
	if _, err := LoadOrCreate(path); err == nil {
		t.Fatal("a key file without a key was accepted")
	}
}
