//go:build !unix

package testdb

import "errors"

// lockFile is not available here: fixtures are not shared between processes.
func lockFile(string) (func(), error) { return nil, errors.New("no file locks") }
