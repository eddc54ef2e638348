package web

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/audit"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/ledger"
	"github.com/huanjie/huanjie/internal/store"
)

// The ledger (台账) of a community: page, forms and JSON twins.

// ledgerView is a community's ledger page.
type ledgerView struct {
	Community store.CommunityClass
	Items     []ledger.Item
	Measures  []ledger.Item // open plan measures, read-only, closed on the plan page
	Open      int           // items not closed
	Overdue   int
	Today     civil.Date
	CanEdit   bool
	Sources   []ledger.Source
	Risks     []ledger.Risk
	Error     string
}

func (v ledgerView) Title() string { return v.Community.Name + " 台账" }

func (s *Server) ledgerView(ctx context.Context, db *store.Scoped, code string) (ledgerView, error) {
	u := db.User()
	_, c, err := s.community(ctx, db, code)
	if err != nil {
		return ledgerView{}, err
	}
	v := ledgerView{Community: c, Today: s.st.Today(), CanEdit: u.Can(account.EditLedger), Risks: ledger.Risks}
	for _, src := range ledger.Sources {
		if src != ledger.FromPlan && src != ledger.FromMeeting { // those come from the plan page and the meeting
			v.Sources = append(v.Sources, src)
		}
	}
	if v.Items, err = db.CommunityLedger(ctx, code); err != nil {
		return v, err
	}
	if v.Measures, err = db.CommunityMeasures(ctx, code); err != nil {
		return v, err
	}
	for _, it := range v.Items {
		if it.Status != ledger.Closed {
			v.Open++
		}
		if it.Overdue(v.Today) {
			v.Overdue++
		}
	}
	return v, nil
}

func (s *Server) ledgerPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.ledgerView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.render(w, r, "ledger", http.StatusOK, v)
	return nil
}

// renderLedger answers a ledger form: back to the community's ledger on
// success, the ledger with the message on a refused input.
func (s *Server) renderLedger(w http.ResponseWriter, r *http.Request, db *store.Scoped, code string, outcome error) error {
	if outcome == nil {
		http.Redirect(w, r, "/communities/"+url.PathEscape(code)+"/ledger", http.StatusSeeOther)
		return nil
	}
	if c := errs.CodeOf(outcome); c == errs.Internal || c == errs.NotFound || code == "" {
		return outcome
	}
	v, err := s.ledgerView(r.Context(), db, code)
	if err != nil {
		return err
	}
	v.Error = errs.MessageOf(outcome)
	s.render(w, r, "ledger", status(errs.CodeOf(outcome)), v)
	return nil
}

func (s *Server) addLedgerItem(ctx context.Context, db *store.Scoped, it ledger.Item) (ledger.Item, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (ledger.Item, error) { return tx.AddLedgerItem(ctx, it) })
}

func (s *Server) addLedgerItemForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	code := r.PathValue("code")
	_, err := s.addLedgerItem(r.Context(), db, ledger.Item{OrgCode: code, Source: ledger.Source(r.PostFormValue("source")),
		SourceRef: r.PostFormValue("source_ref"), Content: r.PostFormValue("content"), Risk: ledger.Risk(r.PostFormValue("risk")),
		Owner: r.PostFormValue("owner"), Leader: r.PostFormValue("leader"), Due: formDate(r, "due")})
	return s.renderLedger(w, r, db, code, err)
}

// itemCode is the community of an item in the user's scope, for the
// answer to a form about it.
func (s *Server) itemCode(ctx context.Context, db *store.Scoped, id int64) string {
	it, err := db.LedgerItem(ctx, id)
	if err != nil {
		return ""
	}
	return it.OrgCode
}

func (s *Server) ledgerNote(ctx context.Context, db *store.Scoped, id int64, note string) (ledger.Note, error) {
	return writeOne(ctx, db, func(tx *store.Tx) (ledger.Note, error) { return tx.AddLedgerNote(ctx, id, note) })
}

func (s *Server) ledgerStart(ctx context.Context, db *store.Scoped, id int64) error {
	return db.Write(ctx, func(tx *store.Tx) error { return tx.StartLedgerItem(ctx, id) })
}

func (s *Server) ledgerClose(ctx context.Context, db *store.Scoped, id int64, note, file string) error {
	return db.Write(ctx, func(tx *store.Tx) error { return tx.CloseLedgerItem(ctx, id, note, file) })
}

func (s *Server) ledgerReopen(ctx context.Context, db *store.Scoped, id int64, reason string) error {
	return db.Write(ctx, func(tx *store.Tx) error { return tx.ReopenLedgerItem(ctx, id, reason) })
}

func (s *Server) ledgerNoteForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	_, err = s.ledgerNote(r.Context(), db, id, r.PostFormValue("note"))
	return s.renderLedger(w, r, db, s.itemCode(r.Context(), db, id), err)
}

func (s *Server) ledgerStartForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	return s.renderLedger(w, r, db, s.itemCode(r.Context(), db, id), s.ledgerStart(r.Context(), db, id))
}

// closingUpload reads a close request: the note and, in a multipart body,
// an optional evidence file in the field "file", put into the file store.
func (s *Server) closingUpload(w http.ResponseWriter, r *http.Request) (note, sha string, err error) {
	if err := parseUpload(w, r); err != nil {
		return "", "", err
	}
	note = r.PostFormValue("note")
	if strings.TrimSpace(note) == "" { // refuse before storing anything
		_, err := ledger.Close(ledger.Open, note)
		return note, "", err
	}
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		files, err := s.storeUploads(r.MultipartForm.File["file"][:1])
		if err != nil {
			return note, "", err
		}
		sha = files[0].SHA256
	}
	return note, sha, nil
}

func (s *Server) ledgerCloseForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	code := s.itemCode(r.Context(), db, id)
	note, sha, err := s.closingUpload(w, r)
	if err == nil {
		err = s.ledgerClose(r.Context(), db, id, note, sha)
	}
	return s.renderLedger(w, r, db, code, err)
}

func (s *Server) ledgerReopenForm(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	return s.renderLedger(w, r, db, s.itemCode(r.Context(), db, id), s.ledgerReopen(r.Context(), db, id, r.PostFormValue("reason")))
}

// ledgerEvidence streams the closing evidence of an item in scope, checking
// its hash as it goes; every download is audited.
func (s *Server) ledgerEvidence(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	code, sha, err := db.LedgerFile(ctx, id)
	if err != nil {
		return err
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, audit.FileDownload, store.On("community", code, code), nil, audit.Fields{"sha256": sha, "ledger_item": id})
	})
	if err != nil {
		return err
	}
	return s.sendStored(w, sha, "application/octet-stream", "销号依据-"+itoaInt(int(id)))
}

// JSON twins.

type ledgerNoteJSON struct {
	Day  civil.Date `json:"day"`
	Note string     `json:"note"`
	By   string     `json:"by"`
}

type ledgerItemJSON struct {
	ID          int64            `json:"id"` // 0 for a plan measure
	Community   string           `json:"community"`
	Name        string           `json:"community_name"`
	District    string           `json:"district"`
	Source      ledger.Source    `json:"source"`
	SourceLabel string           `json:"source_label"`
	SourceRef   string           `json:"source_ref"`
	Content     string           `json:"content"`
	Risk        ledger.Risk      `json:"risk"`
	Owner       string           `json:"owner"`
	Leader      string           `json:"leader"`
	Due         civil.Date       `json:"due"`
	Status      ledger.Status    `json:"status"`
	Overdue     bool             `json:"overdue"`
	ClosedOn    civil.Date       `json:"closed_on,omitempty"`
	ClosingNote string           `json:"closing_note,omitempty"`
	ClosingFile string           `json:"closing_file,omitempty"`
	CreatedOn   civil.Date       `json:"created_on,omitempty"`
	CreatedBy   string           `json:"created_by,omitempty"`
	Notes       []ledgerNoteJSON `json:"notes,omitempty"`
	Events      []map[string]any `json:"events,omitempty"`
}

func toLedgerJSON(it ledger.Item, today civil.Date) ledgerItemJSON {
	j := ledgerItemJSON{ID: it.ID, Community: it.OrgCode, Name: it.Community, District: it.District, Source: it.Source,
		SourceLabel: it.Source.Label(), SourceRef: it.SourceRef, Content: it.Content, Risk: it.Risk, Owner: it.Owner, Leader: it.Leader,
		Due: it.Due, Status: it.Status, Overdue: it.Overdue(today), ClosedOn: it.ClosedOn, ClosingNote: it.ClosingNote,
		ClosingFile: it.ClosingFile, CreatedOn: it.CreatedOn, CreatedBy: it.CreatedBy}
	for _, n := range it.Notes {
		j.Notes = append(j.Notes, ledgerNoteJSON{n.Day, n.Note, n.By})
	}
	for _, e := range it.Events {
		j.Events = append(j.Events, map[string]any{"day": e.Day, "from": e.From, "to": e.To, "note": e.Note, "by": e.By})
	}
	return j
}

func toLedgerList(items []ledger.Item, today civil.Date) []ledgerItemJSON {
	out := make([]ledgerItemJSON, len(items))
	for i, it := range items {
		out[i] = toLedgerJSON(it, today)
	}
	return out
}

func (s *Server) apiLedger(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.ledgerView(r.Context(), db, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"community": v.Community.Code, "name": v.Community.Name,
		"items": toLedgerList(v.Items, v.Today), "measures": toLedgerList(v.Measures, v.Today), "open": v.Open, "overdue": v.Overdue})
	return nil
}

func (s *Server) apiAddLedgerItem(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	var in struct {
		Community string        `json:"community"`
		Source    ledger.Source `json:"source"`
		SourceRef string        `json:"source_ref"`
		Content   string        `json:"content"`
		Risk      ledger.Risk   `json:"risk"`
		Owner     string        `json:"owner"`
		Leader    string        `json:"leader"`
		Due       civil.Date    `json:"due"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	it, err := s.addLedgerItem(r.Context(), db, ledger.Item{OrgCode: in.Community, Source: in.Source, SourceRef: in.SourceRef,
		Content: in.Content, Risk: in.Risk, Owner: in.Owner, Leader: in.Leader, Due: in.Due})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toLedgerJSON(it, s.st.Today()))
	return nil
}

func (s *Server) apiLedgerItem(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	it, err := db.LedgerItem(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLedgerJSON(it, s.st.Today()))
	return nil
}

// answerItem answers a change of an item with the item as it now is.
func (s *Server) answerItem(w http.ResponseWriter, r *http.Request, db *store.Scoped, id int64, status int) error {
	it, err := db.LedgerItem(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toLedgerJSON(it, s.st.Today()))
	return nil
}

func (s *Server) apiLedgerNote(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.ledgerNote(r.Context(), db, id, in.Note); err != nil {
		return err
	}
	return s.answerItem(w, r, db, id, http.StatusCreated)
}

func (s *Server) apiLedgerStart(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	if err := s.ledgerStart(r.Context(), db, id); err != nil {
		return err
	}
	return s.answerItem(w, r, db, id, http.StatusOK)
}

// apiLedgerClose closes an item: JSON {"note": …}, or a multipart body with
// the field note and an optional evidence file in the field file.
func (s *Server) apiLedgerClose(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	var note, sha string
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if note, sha, err = s.closingUpload(w, r); err != nil {
			return err
		}
	} else {
		var in struct {
			Note string `json:"note"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		note = in.Note
	}
	if err := s.ledgerClose(r.Context(), db, id, note, sha); err != nil {
		return err
	}
	return s.answerItem(w, r, db, id, http.StatusOK)
}

func (s *Server) apiLedgerReopen(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.ledgerReopen(r.Context(), db, id, in.Reason); err != nil {
		return err
	}
	return s.answerItem(w, r, db, id, http.StatusOK)
}
