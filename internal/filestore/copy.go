package filestore

import (
	"errors"
	"hash"
	"io"
	"os"
	"sync/atomic"
)

// Chunks of an upload in flight: at most four of 1 MiB, so an upload holds
// 4 MiB at most whatever the file's size (quarter-MiB chunks measured a
// third slower).
const (
	chunkSize = 1 << 20
	chunks    = 4
)

// copyHashed copies r to w, hashing what it copies into h and keeping its
// start in head. Reading (the network and the multipart parsing), hashing
// and writing each run in their own goroutine, chunk by chunk, so an upload
// costs the slowest of the three instead of their sum: on two CPUs that is
// what keeps an upload near the speed of a plain copy on disk. Each written
// chunk is handed to the disk at once (startWriteback).
func copyHashed(w *os.File, r io.Reader, h hash.Hash, head io.Writer) (int64, error) {
	// The chunks are made as the copy needs them: a small file (a report's
	// workbook, a photo) takes one, not the four a large upload keeps busy.
	free := make(chan []byte, chunks)
	made := 0
	chunk := func() []byte {
		select {
		case b := <-free:
			return b
		default:
		}
		if made < chunks {
			made++
			return make([]byte, chunkSize)
		}
		return <-free
	}
	toHash := make(chan []byte, chunks)
	toWrite := make(chan []byte, chunks)
	done := make(chan struct{})
	var writeErr error
	var failed atomic.Bool
	go func() {
		for b := range toHash {
			h.Write(b)
			toWrite <- b
		}
		close(toWrite)
	}()
	go func() {
		defer close(done)
		var off int64
		for b := range toWrite {
			if writeErr == nil {
				if _, writeErr = w.Write(b); writeErr != nil {
					failed.Store(true)
				}
				startWriteback(w, off, int64(len(b)))
				off += int64(len(b))
			}
			free <- b[:cap(b)]
		}
	}()
	var n int64
	var readErr error
	for !failed.Load() {
		buf := chunk()
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			head.Write(buf[:k])
			n += int64(k)
			toHash <- buf[:k]
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			readErr = err
			break
		}
	}
	close(toHash)
	<-done
	if readErr != nil {
		return n, readErr
	}
	return n, writeErr
}
