package web_test

import (
	"encoding/json"
	"strconv"
	"testing"
)

func jsonInto(t testing.TB, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
