package app

import "time"

// SetTargetsEvery sets how often a server started after it looks for
// forgotten targets' results, until the returned function puts it back.
func SetTargetsEvery(d time.Duration) (restore func()) {
	old := targetsEvery
	targetsEvery = d
	return func() { targetsEvery = old }
}
