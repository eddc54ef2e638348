package web_test

import "github.com/huanjie/huanjie/internal/account"

// progressExpected is who may use this feature's routes, merged into expected
// while the feature is being built.
var progressExpected = map[string][]account.Role{}
