package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

const auditPageSize = 50

type auditView struct {
	Filter   store.AuditFilter
	Rows     []auditRow
	Head     audit.Head
	Next     string // the link to the next (older) page, "" at the end
	Actions  []*audit.Action
	Entities []auditChoice
	Check    *auditCheck // the server's last check of the whole log, nil before the first
}

// auditCheck is the outcome of the server's last automatic check. The first
// problem it found may name a record outside a scoped account's subtree, so
// only zone-wide accounts read it; the rest see that a problem exists.
type auditCheck struct {
	At      time.Time `json:"at"`
	OK      bool      `json:"ok"`
	Problem string    `json:"problem,omitempty"`
}

type auditChoice struct{ Code, Label string }

func auditFilter(q url.Values) (store.AuditFilter, error) {
	f := store.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Entity: q.Get("entity"),
		EntityID: q.Get("entity_id"), Limit: auditPageSize}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			return f, errs.OnField("before", fieldName("before")+"必须是正整数(审计日志的序号)")
		}
		f.BeforeSeq = n
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return f, errs.OnField("limit", fieldName("limit")+"必须是1到500之间的整数")
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) auditList(ctx context.Context, db *store.Scoped, q url.Values) (auditView, error) {
	f, err := auditFilter(q)
	if err != nil {
		return auditView{}, err
	}
	v := auditView{Filter: f, Actions: audit.Actions()}
	for code, label := range entityLabels {
		v.Entities = append(v.Entities, auditChoice{code, label})
	}
	slices.SortFunc(v.Entities, func(a, b auditChoice) int { return strings.Compare(a.Code, b.Code) })
	entries, err := db.AuditLog(ctx, f)
	if err != nil {
		return v, err
	}
	for _, e := range entries {
		row := auditRowOf(e.Entry)
		row.Unit, row.Digests = e.Unit, e.Records
		v.Rows = append(v.Rows, row)
	}
	if v.Head, err = s.st.AuditHead(ctx); err != nil {
		return v, err
	}
	if c := s.st.LastVerify(); c != nil {
		v.Check = &auditCheck{At: c.At, OK: c.OK}
		if db.ZoneWide() {
			v.Check.Problem = c.Summary
		}
	}
	if len(entries) == f.Limit && entries[len(entries)-1].Seq > 1 {
		next := url.Values{}
		for _, k := range []string{"actor", "action", "entity", "entity_id", "limit"} {
			if q.Get(k) != "" {
				next.Set(k, q.Get(k))
			}
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
		v.Next = "?" + next.Encode()
	}
	return v, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.auditList(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	s.render(w, r, "audit", http.StatusOK, v)
	return nil
}

type auditJSON struct {
	ID          int64           `json:"id"`
	At          time.Time       `json:"at"`
	ActorID     int64           `json:"actor_id"`
	Actor       string          `json:"actor"`
	Action      string          `json:"action"`
	Label       string          `json:"label"`
	Sensitivity string          `json:"sensitivity"`
	Entity      string          `json:"entity"`
	EntityID    string          `json:"entity_id"`
	Unit        string          `json:"unit"`
	UnitPath    string          `json:"unit_path"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	Records     int             `json:"protected_records"`
	PrevHash    string          `json:"prev_hash"`
	Hash        string          `json:"hash"`
}

func rawOrNull(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.auditList(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	items := make([]auditJSON, len(v.Rows))
	for i, e := range v.Rows {
		items[i] = auditJSON{e.Seq, e.At, e.ActorID, e.Actor, e.Action, e.Label, e.Sensitivity, e.Entity, e.EntityID, e.Unit,
			e.OrgPath, rawOrNull(e.Before), rawOrNull(e.After), e.Digests, e.PrevHash, e.Hash}
	}
	out := map[string]any{"items": items, "head": map[string]any{"seq": v.Head.Seq, "hash": v.Head.Hash}, "last_check": v.Check}
	if v.Next != "" {
		out["next"] = "/api/v1/audit" + v.Next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
