package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
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

// ledgerAgain is the ledger page a refused ledger form comes back to;
// code is "" when the item is not in scope (then: not found).
func (s *Server) ledgerAgain(ctx context.Context, db *store.Scoped, code string) (string, any, error) {
	if code == "" {
		return "", nil, errs.New(errs.NotFound, "没有找到该台账事项")
	}
	v, err := s.ledgerView(ctx, db, code)
	return "ledger", v, err
}

func ledgerURL(code string) string { return "/communities/" + url.PathEscape(code) + "/ledger" }

// itemCode is the community of an item in the user's scope, "" if none.
func (s *Server) itemCode(ctx context.Context, db *store.Scoped, id int64) string {
	it, err := db.LedgerItem(ctx, id, 1)
	if err != nil {
		return ""
	}
	return it.OrgCode
}

// ledgerItemInput is a new ledger item: the page's form names its
// community in the path, the API in the body.
type ledgerItemInput struct {
	At        string        `json:"-" path:"code"`
	Community string        `json:"community"`
	Source    ledger.Source `json:"source"`
	SourceRef string        `json:"source_ref"`
	Content   string        `json:"content"`
	Risk      ledger.Risk   `json:"risk"`
	Owner     string        `json:"owner"`
	Leader    string        `json:"leader"`
	Due       civil.Date    `json:"due"`
}

func (in ledgerItemInput) community() string { return cmp.Or(in.At, in.Community) }

func (s *Server) addLedgerItem() handlerFunc {
	return act(s, action[ledgerItemInput]{
		run: func(ctx context.Context, db *store.Scoped, in ledgerItemInput) (any, error) {
			it, err := writeOne(ctx, db, func(tx *store.Tx) (ledger.Item, error) {
				return tx.AddLedgerItem(ctx, ledger.Item{OrgCode: in.community(), Source: in.Source, SourceRef: in.SourceRef,
					Content: in.Content, Risk: in.Risk, Owner: in.Owner, Leader: in.Leader, Due: in.Due})
			})
			return toLedgerJSON(it, s.st.Today()), err
		},
		created: true,
		next:    func(in ledgerItemInput, _ any) string { return ledgerURL(in.community()) },
		notice:  "台账事项已添加。",
		page: func(ctx context.Context, db *store.Scoped, in ledgerItemInput) (string, any, error) {
			return s.ledgerAgain(ctx, db, in.community())
		},
	})
}

// itemInput is a change of a ledger item (a note, start, reopen); community
// is the item's, the page the form goes back to.
type itemInput struct {
	Item      int64  `json:"-" path:"id"`
	Community string `json:"community,omitempty"`
	Note      string `json:"note,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// itemAction is a change of a ledger item by change; the API answers the
// item as it now is.
func (s *Server) itemAction(created bool, notice string, change func(ctx context.Context, tx *store.Tx, in itemInput) error) handlerFunc {
	return act(s, action[itemInput]{
		run: func(ctx context.Context, db *store.Scoped, in itemInput) (any, error) {
			return s.changeItem(ctx, db, in.Item, func(tx *store.Tx) error { return change(ctx, tx, in) })
		},
		created: created,
		next:    func(in itemInput, _ any) string { return ledgerURL(in.Community) },
		notice:  notice,
		page: func(ctx context.Context, db *store.Scoped, in itemInput) (string, any, error) {
			return s.ledgerAgain(ctx, db, s.itemCode(ctx, db, in.Item))
		},
	})
}

func (s *Server) ledgerNote() handlerFunc {
	return s.itemAction(true, "进展已记录。", func(ctx context.Context, tx *store.Tx, in itemInput) error {
		_, err := tx.AddLedgerNote(ctx, in.Item, in.Note)
		return err
	})
}

func (s *Server) ledgerStart() handlerFunc {
	return s.itemAction(false, "已开始办理。", func(ctx context.Context, tx *store.Tx, in itemInput) error {
		return tx.StartLedgerItem(ctx, in.Item)
	})
}

func (s *Server) ledgerReopen() handlerFunc {
	return s.itemAction(false, "已重新打开。", func(ctx context.Context, tx *store.Tx, in itemInput) error {
		return tx.ReopenLedgerItem(ctx, in.Item, in.Reason)
	})
}

// ledgerClose closes (销号) an item: JSON {"note": …} on the API, or a
// multipart body (the page's form, or the API) with the field note and an
// optional evidence file in the field file, stored only once the note is there.
func (s *Server) ledgerClose(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64) // the API's form does not set it (decodeUpload)
	in := itemInput{Item: id}
	err := decodeUpload(w, r, &in)
	var sha string
	if err == nil && strings.TrimSpace(in.Note) == "" { // refuse before storing anything
		_, err = ledger.Close(ledger.Open, in.Note)
	}
	if err == nil {
		sha, err = s.storedFile(r, "file")
	}
	var out ledgerItemJSON
	closeItem := func(tx *store.Tx) error { return tx.CloseLedgerItem(ctx, in.Item, in.Note, sha) }
	switch {
	case err == nil && isAPI(r): // the API answers the item; the page's form is sent back to the ledger
		out, err = s.changeItem(ctx, db, in.Item, closeItem)
	case err == nil:
		err = db.Write(ctx, closeItem)
	}
	code := s.itemCode(ctx, db, in.Item)
	return s.endAction(w, r, db, err, http.StatusOK, out, ledgerURL(code), "已销号。",
		func(ctx context.Context) (string, any, error) { return s.ledgerAgain(ctx, db, code) })
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
	NotesTotal  int              `json:"notes_total,omitempty"`
	Events      []map[string]any `json:"events,omitempty"`
}

func toLedgerJSON(it ledger.Item, today civil.Date) ledgerItemJSON {
	j := ledgerItemJSON{ID: it.ID, Community: it.OrgCode, Name: it.Community, District: it.District, Source: it.Source,
		SourceLabel: it.Source.Label(), SourceRef: it.SourceRef, Content: it.Content, Risk: it.Risk, Owner: it.Owner, Leader: it.Leader,
		Due: it.Due, Status: it.Status, Overdue: it.Overdue(today), ClosedOn: it.ClosedOn, ClosingNote: it.ClosingNote,
		ClosingFile: it.ClosingFile, CreatedOn: it.CreatedOn, CreatedBy: it.CreatedBy, NotesTotal: it.NotesTotal}
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

func (s *Server) apiLedgerItem(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该台账事项")
	if err != nil {
		return err
	}
	it, err := db.LedgerItem(r.Context(), id, 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLedgerJSON(it, s.st.Today()))
	return nil
}

// answerNotes is how many of an item's latest notes a write's answer
// carries, with notes_total; GET /api/v1/ledger-items/{id} carries all.
const answerNotes = 20

// changeItem writes change to the item id and answers with the item as the
// write left it and its latest notes (store.Scoped.ChangeLedgerItem).
func (s *Server) changeItem(ctx context.Context, db *store.Scoped, id int64, change func(tx *store.Tx) error) (ledgerItemJSON, error) {
	it, err := db.ChangeLedgerItem(ctx, id, answerNotes, change)
	return toLedgerJSON(it, s.st.Today()), err
}
