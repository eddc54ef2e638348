package filestore

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to begin writing a just-written range to
// the disk without waiting for it, so the fsync before the file is named
// finds little left to do: the disk works while the rest of the upload
// arrives. Only a hint; an error changes nothing (the fsync still decides).
func startWriteback(f *os.File, off, n int64) {
	unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
