package web_test

import "github.com/huanjie/huanjie/internal/account"

// tipExpected is who may use this feature's routes, merged into expected
// while the feature is being built.
var tipExpected = map[string][]account.Role{}
