package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/huanjie/huanjie/internal/errs"
)

// status maps an error code to an HTTP status: the one place that does.
func status(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Unprocessable:
		return http.StatusUnprocessableEntity
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

type apiError struct {
	Code    errs.Code `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field,omitempty"`
}

// fail answers a request with err: JSON for the API, a page otherwise. It
// logs internal errors, once, here at the edge.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	if code == errs.Internal {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		// The route, not the path: a public tip's receipt is in its path.
		s.log.Debug("request refused", "method", r.Method, "route", r.Pattern, "code", code, "err", err)
	}
	st := status(code)
	if isAPI(r) {
		writeJSON(w, st, map[string]apiError{"error": {Code: code, Message: errs.MessageOf(err), Field: errs.FieldOf(err)}})
		return
	}
	if code == errs.Unauthorized {
		// Back here after signing in, unless the address is too long to
		// carry: a Location never echoes a stranger's input of any length.
		to := "/login"
		if uri := r.URL.RequestURI(); len(uri) <= fieldRules["next"].max/3 {
			to += "?next=" + urlQueryEscape(uri)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	s.render(w, r, "error", st, errorView{Status: st, Message: errs.MessageOf(err)})
}

type errorView struct {
	Status  int
	Message string
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write json", "err", err)
	}
}

// decodeJSON reads a JSON body into v; a malformed body is an Invalid error,
// one over the limit TooLarge. Its text was checked before (input.go).
func decodeJSON(r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(nil, r.Body, maxTextBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge(maxTextBody)
		}
		return errs.Wrap(err, errs.Invalid, "请求内容不是有效的 JSON,或含有未知字段")
	}
	return nil
}
