package web_test

import "github.com/huanjie/huanjie/internal/account"

// archiveExpected is who may use this feature's routes, merged into expected
// while the feature is being built.
var archiveExpected = map[string][]account.Role{}
