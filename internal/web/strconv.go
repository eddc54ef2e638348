package web

import "strconv"

func itoaInt(n int) string { return strconv.Itoa(n) }
