package app_test

import (
	"go/version"
	"runtime"
	"testing"
)

// The binary is built with a Go whose standard library has the security
// fixes released up to 1.27.3 (net/http, crypto/tls, archive/zip and
// encoding/xml read what strangers send): a build with an older Go fails
// here, not in production.
func TestBuiltWithAFixedGo(t *testing.T) {
	const least = "go1.27.3"
	if v := runtime.Version(); version.IsValid(v) && version.Compare(v, least) < 0 {
		t.Fatalf("built with %s; the platform needs %s or newer (GOTOOLCHAIN=%s)", v, least, least)
	}
}
