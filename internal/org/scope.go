package org

// Scope is the subtree of the org tree a user may see. Queries apply it in SQL
// as a range over the materialised path, so that a list, a count or an export
// can never leak rows from outside. The zero Scope matches nothing: a
// forgotten scope fails closed.
type Scope struct {
	Path string // path of the scope's root unit, "/KFQ/KFQ-01/"
}

// All is the scope of the whole tree.
var All = Scope{Path: "/"}

// Within returns the scope rooted at the unit with path.
func Within(path string) Scope { return Scope{Path: path} }

// Bounds returns lo and hi such that a unit is in scope exactly when
// lo <= unit.path < hi: lo is the scope's path "/A/B/", hi is "/A/B0". Any
// string between them starts with "/A/B" followed by a byte from '/' up to but
// not including '0', and only '/' lies there, so exactly the paths below the
// scope fall in the range, whatever characters codes hold.
func (s Scope) Bounds() (lo, hi string) {
	if len(s.Path) == 0 || s.Path[len(s.Path)-1] != '/' {
		return "1", "0" // empty range
	}
	return s.Path, s.Path[:len(s.Path)-1] + "0"
}

// Contains reports whether a unit with path lies in the scope.
func (s Scope) Contains(path string) bool {
	lo, hi := s.Bounds()
	return path >= lo && path < hi
}
