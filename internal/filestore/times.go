package filestore

import (
	"os"
	"path/filepath"
	"time"
)

// SetTime sets the modification and access times of a stored file, and of
// the folder it is in, to t: a public tip's files carry the day they came
// in, not the moment. The file system's own change time (ctime) cannot be
// set and still says when the file was written.
func (s *Store) SetTime(sum string, t time.Time) error {
	if !shaPattern.MatchString(sum) {
		return os.ErrNotExist
	}
	p := s.path(sum)
	if err := os.Chtimes(p, t, t); err != nil {
		return err
	}
	return os.Chtimes(filepath.Dir(p), t, t)
}
