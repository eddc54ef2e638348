package web

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/huanjie/huanjie/internal/errs"
)

// What some inputs of the one form pattern (form.go) need beyond it.

// jsonOnly is a field of an input that the JSON fills as a T and the
// input's readForm fills from the form: a list of ids from checked boxes, a
// nested record whose fields the form names apart. A struct, so that
// decodeInput's own form reading leaves it alone (it reads neither lists of
// numbers nor records).
type jsonOnly[T any] struct{ v T }

func (f *jsonOnly[T]) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // as decodeJSON does for the whole body
	return dec.Decode(&f.v)
}

// formIDs reads the record ids of form field name (checked boxes, a hidden field) into ids.
func formIDs(v url.Values, name string, ids *[]int64) error {
	for _, x := range v[name] {
		id, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return errs.OnField(name, "所选编号无效")
		}
		*ids = append(*ids, id)
	}
	return nil
}

// made is the id of the record a form's action made, for the page the form
// goes to next (act's next sees the input, not what run made): the form's
// reading makes room for it, run fills it. An input embeds it.
type made struct{ id *int64 }

func (m *made) readForm(url.Values) error {
	m.id = new(int64)
	return nil
}

func (m made) set(id int64) {
	if m.id != nil {
		*m.id = id
	}
}
