package filestore

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// The pipelined copy writes and hashes exactly what it reads, whatever the
// size against its chunks, and keeps the head.
func TestCopyHashed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 511, chunkSize - 1, chunkSize, chunkSize + 1, chunks*chunkSize + 12345} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		f, err := os.Create(filepath.Join(t.TempDir(), "out"))
		if err != nil {
			t.Fatal(err)
		}
		h, head := sha256.New(), &headBuffer{max: 512}
		// One byte per read at the start: the reader's pace must not matter.
		got, err := copyHashed(f, io.MultiReader(iotest.OneByteReader(bytes.NewReader(data[:min(n, 700)])), bytes.NewReader(data[min(n, 700):])), h, head)
		f.Close()
		if err != nil || got != int64(n) {
			t.Fatalf("size %d: copied %d, %v", n, got, err)
		}
		written, _ := os.ReadFile(f.Name())
		want := sha256.Sum256(data)
		if !bytes.Equal(written, data) || !bytes.Equal(h.Sum(nil), want[:]) {
			t.Fatalf("size %d: file or hash differs from the input", n)
		}
		if !bytes.Equal(head.Bytes(), data[:min(n, 512)]) {
			t.Fatalf("size %d: head is %d bytes, not the input's start", n, head.Len())
		}
	}
}

// A reader that fails mid-way and a file that cannot be written both end
// the copy with their error, without hanging the pipeline.
func TestCopyHashedErrors(t *testing.T) {
	boom := errors.New("connection reset")
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := io.MultiReader(bytes.NewReader(make([]byte, 3*chunkSize+7)), iotest.ErrReader(boom))
	if _, err := copyHashed(f, r, sha256.New(), io.Discard); !errors.Is(err, boom) {
		t.Fatalf("read error: got %v", err)
	}

	ro, err := os.Open(f.Name()) // read-only: every write fails
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := copyHashed(ro, bytes.NewReader(make([]byte, 10*chunkSize)), sha256.New(), io.Discard); err == nil {
		t.Fatal("a failing write reported no error")
	}
}
