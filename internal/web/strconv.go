package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/civil"
)

func itoaInt(n int) string { return strconv.Itoa(n) }

// formDate is the day a form field holds, as typed; the domain's Validate
// checks it is a real day and names the field when it is not.
func formDate(r *http.Request, key string) civil.Date {
	return civil.Date(strings.TrimSpace(r.FormValue(key)))
}
