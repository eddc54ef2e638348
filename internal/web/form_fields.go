package web

import "net/url"

// What some inputs of the one form pattern (form.go) need beyond it.

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
