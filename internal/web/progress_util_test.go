package web_test

import (
	"strconv"

	"github.com/huanjie/huanjie/internal/org"
)

type orgScope = org.Scope

var orgAll = org.All

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
