package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/civil"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
	"github.com/huanjie/huanjie/internal/vetting"
)

// Public tips (举报): a page and an API for the public, no sign-in. Nothing
// about the request (address, user agent, time of day) is passed to the
// store; the address is used only, as a keyed hash (clientID), by the
// in-memory rate limiters.

var errTooManyLookups = errs.New(errs.TooMany, "查询过于频繁,请稍后再试")

// tooManyTips refuses a submission over the client's limit, saying how long
// to wait in whole minutes (rounded up, at least one), as Retry-After says
// in seconds.
func tooManyTips(wait time.Duration) error {
	minutes := max(int((wait+time.Minute-1)/time.Minute), 1)
	return errs.New(errs.TooMany, "提交过于频繁,请在 "+strconv.Itoa(minutes)+" 分钟后再提交")
}

// processKey keys clientID for a Server without a store (unit tests).
var processKey = func() []byte {
	k := make([]byte, 32)
	rand.Read(k) // never fails
	return k
}()

// clientID names the client of r to the rate limiters: a keyed hash of its
// source (account.SourceOf: the address, or an IPv6 address's /64) under
// the instance's key (store.ClientHash), never the address itself.
func (s *Server) clientID(r *http.Request) string {
	src := account.SourceOf(s.clientAddr(r))
	if s.st != nil {
		return s.st.ClientHash("rate-limit", src)
	}
	m := hmac.New(sha256.New, processKey)
	m.Write([]byte(src))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// refuse answers TooMany with a Retry-After of wait.
func refuse(w http.ResponseWriter, wait time.Duration, refused error) error {
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	return refused
}

// throttle charges one request of the client to l, in this process and
// then in the database; over the limit it answers TooMany with a
// Retry-After.
func (s *Server) throttle(w http.ResponseWriter, r *http.Request, l *rateLimiter, refused error) error {
	id := s.clientID(r)
	if ok, wait := l.allow(id); !ok {
		return refuse(w, wait, refused)
	}
	client, all := l.shared(id)
	wait, err := s.sharedLimit(r.Context(), slices.Concat(client, all), nil)
	if err != nil || wait == 0 {
		return err
	}
	return refuse(w, wait, refused)
}

// sharedLimit charges the request to the limits the office's servers share
// in the database (store.Throttle): to each of take, provided each of peek
// has room too. It returns how long to wait, 0 when the request may go on.
func (s *Server) sharedLimit(ctx context.Context, take, peek []account.Bucket) (time.Duration, error) {
	if s.st == nil || len(take)+len(peek) == 0 {
		return 0, nil
	}
	wait, err := s.st.Throttle(ctx, take, peek)
	if wait > 0 {
		wait = max(wait, time.Second)
	}
	return wait, err
}

// tipForm is the public tip page: the communities by district in a
// select, or, in a zone of more than choiceMax, a field typed with the
// community's name or code (as the office's forms, unit_choice.go).
type tipForm struct {
	Groups     []tipGroup
	Typed      bool
	Candidates []store.PublicCandidate
	Categories []vetting.TipCategory
	MaxFiles   int
	MaxMB      int64
}

func (tipForm) Title() string { return "换届纪律举报" }

// tipGroup is a district's communities, an optgroup of the select.
type tipGroup struct {
	District    string
	Communities []store.PublicCommunity
}

func (s *Server) tipFormView(ctx context.Context, db *store.Scoped) (tipForm, error) {
	v := tipForm{Categories: vetting.TipCategories, MaxFiles: store.MaxTipFiles, MaxMB: s.uploadLimit() >> 20}
	list, err := db.PublicCommunities(ctx, choiceMax+1)
	if err != nil {
		return v, err
	}
	if v.Typed = len(list) > choiceMax; !v.Typed {
		for _, c := range list {
			if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].District != c.District {
				v.Groups = append(v.Groups, tipGroup{District: c.District})
			}
			g := &v.Groups[len(v.Groups)-1]
			g.Communities = append(g.Communities, c)
		}
	}
	v.Candidates, err = db.PublicCandidates(ctx)
	return v, err
}

func (s *Server) tipPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.tipFormView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, "tip", http.StatusOK, v)
	return nil
}

// readTip reads a tip from a form (urlencoded or multipart with "files") or
// from JSON, and stores its files once the fields are valid.
func (s *Server) readTip(w http.ResponseWriter, r *http.Request, db *store.Scoped) (vetting.Tip, []store.TipFile, error) {
	t, err := readTipFields(r)
	if err != nil {
		return t, nil, err
	}
	// The public page lists every community (PublicCommunities), so a
	// name is looked up among all of them.
	t.OrgCode, err = pickUnit(org.Community, "community", t.OrgCode, "", func(s string) ([]string, error) {
		return db.PublicCommunitiesNamed(r.Context(), s, 6)
	})
	if err != nil {
		return t, nil, err
	}
	if err := precheck(t); err != nil {
		return t, nil, err
	}
	var headers []*multipart.FileHeader
	if r.MultipartForm != nil {
		for _, h := range r.MultipartForm.File["files"] {
			if h.Size > 0 || h.Filename != "" {
				headers = append(headers, h)
			}
		}
	}
	if len(headers) > store.MaxTipFiles {
		return t, nil, errs.OnField("files", "附件最多"+strconv.Itoa(store.MaxTipFiles)+"个")
	}
	files, err := s.storeTipFiles(headers, s.st.Now())
	return t, files, err
}

// tipInput is a tip as the public form and the API send it.
type tipInput struct {
	Community   string              `json:"community"`
	Person      string              `json:"person"`
	AspirantID  int64               `json:"aspirant_id"`
	Category    vetting.TipCategory `json:"category"`
	Description string              `json:"description"`
	Contact     string              `json:"contact"`
}

// readTipFields reads the fields of a submission, JSON or a form (either
// route takes either), without its files: a refused one's files are never
// stored.
func readTipFields(r *http.Request) (vetting.Tip, error) {
	var in tipInput
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := decodeJSON(r, &in); err != nil {
			return vetting.Tip{}, err
		}
	} else {
		// checkInput has limited the body (413 over the limit) and parsed it.
		err := r.ParseMultipartForm(8 << 20)
		switch {
		case errors.Is(err, http.ErrNotMultipart):
			if err := r.ParseForm(); err != nil {
				return vetting.Tip{}, errs.Wrap(err, errs.Invalid, "提交内容无法解析")
			}
		case err != nil:
			return vetting.Tip{}, errs.Wrap(err, errs.Invalid, "上传内容无法解析")
		}
		if err := readForm(r.PostForm, &in); err != nil {
			return vetting.Tip{}, err
		}
	}
	return vetting.Tip{OrgCode: in.Community, Person: in.Person, AspirantID: max(in.AspirantID, 0), Category: in.Category,
		Description: in.Description, Contact: in.Contact}, nil
}

// precheck validates a submission before its files are stored; the store
// checks it again. A tip on a chosen candidate may leave the community to
// the candidate's.
func precheck(t vetting.Tip) error {
	if t.AspirantID != 0 && strings.TrimSpace(t.OrgCode) == "" {
		t.OrgCode = "-"
	}
	return t.Validate()
}

// takeTip charges the client's tip allowance, reads and records the tip,
// and returns its receipt. Every submission counts against its client's
// limit; only an accepted tip counts against the global one, so that
// invalid submissions from many addresses cannot shut the form for everyone.
func (s *Server) takeTip(w http.ResponseWriter, r *http.Request, db *store.Scoped) (string, error) {
	ctx, l, id := r.Context(), s.tips.submit, s.clientID(r)
	if ok, wait := l.allowClient(id); !ok {
		return "", refuse(w, wait, tooManyTips(wait))
	}
	client, all := l.shared(id)
	if wait, err := s.sharedLimit(ctx, client, all); err != nil {
		return "", err
	} else if wait > 0 {
		return "", refuse(w, wait, tooManyTips(wait))
	}
	t, files, err := s.readTip(w, r, db)
	if err != nil {
		return "", err
	}
	t, err = db.SubmitTip(ctx, t, files)
	if err == nil {
		l.commit()
		// The global ceiling takes the accepted tip if it has room; the
		// tip is in either way.
		if _, err := s.sharedLimit(ctx, all, nil); err != nil {
			s.log.Warn("tip limit", "err", err)
		}
	}
	return t.Receipt, err
}

// tipReceipt is the page after a submission: the receipt, prominently.
type tipReceipt struct{ Receipt string }

func (tipReceipt) Title() string { return "举报已提交" }

// submitTip is the public tip form's and the API's: the page answers with
// the receipt, or a refused form again with what was typed (its files must
// be chosen again, tip.html says); the API with JSON.
func (s *Server) submitTip(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	receipt, err := s.takeTip(w, r, db)
	switch {
	case isAPI(r) && err == nil:
		writeJSON(w, http.StatusCreated, map[string]string{"receipt": receipt})
	case isAPI(r):
		return err
	case err != nil:
		return s.refused(w, r, db, err, func(ctx context.Context) (string, any, error) {
			v, err := s.tipFormView(ctx, db)
			return "tip", v, err
		})
	default:
		s.render(w, r, "tip_receipt", http.StatusOK, tipReceipt{receipt})
	}
	return nil
}

// tipStatusView is the status page: the look-up form and, once found, the
// status with its days.
type tipStatusView struct {
	Receipt string
	Found   *vetting.PublicTip
	Error   string
}

func (tipStatusView) Title() string { return "举报办理进度查询" }

func (s *Server) tipStatusPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	receipt := strings.TrimSpace(r.URL.Query().Get("receipt"))
	v := tipStatusView{Receipt: receipt}
	if receipt == "" {
		s.render(w, r, "tip_status", http.StatusOK, v)
		return nil
	}
	if err := s.throttle(w, r, s.tips.lookup, errTooManyLookups); err != nil {
		v.Error = errs.MessageOf(err)
		s.render(w, r, "tip_status", http.StatusTooManyRequests, v)
		return nil
	}
	p, err := db.TipStatus(r.Context(), receipt)
	if err != nil {
		if errs.CodeOf(err) != errs.NotFound {
			return err
		}
		v.Error = errs.MessageOf(err)
		s.render(w, r, "tip_status", http.StatusNotFound, v)
		return nil
	}
	v.Found = &p
	s.render(w, r, "tip_status", http.StatusOK, v)
	return nil
}

func (s *Server) apiTipStatus(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	if err := s.throttle(w, r, s.tips.lookup, errTooManyLookups); err != nil {
		return err
	}
	p, err := db.TipStatus(r.Context(), r.PathValue("receipt"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"receipt": p.Receipt, "status": string(p.Status),
		"status_label": p.StatusLabel, "submitted_on": p.SubmittedOn.String(), "updated_on": p.UpdatedOn.String()})
	return nil
}

// Triage (TriageTips). The store's Tips and Tip, and here every act of the
// office on a tip, first record the tips not yet in the audit log
// (store.LogTips), so that a tip's entry precedes anything done with it.

const tipsPageSize = 50

type tipsView struct {
	Items       []store.TipRow
	Statuses    []vetting.TipStatus
	Communities unitChoice // in scope
	Status      string
	Community   string
	Problem     string // what is wrong with the community filter, if anything
	Desk        string // "公安机关" for the police, who see the tips routed to them; "" for every tip
	Pager       pager
}

func (tipsView) Title() string { return "群众举报" }

func (s *Server) tipsView(ctx context.Context, db *store.Scoped, q url.Values) (tipsView, error) {
	v := tipsView{Statuses: vetting.TipStatuses, Status: q.Get("status"), Community: q.Get("community"), Desk: db.TipDesk().Label()}
	if v.Status != "" && !vetting.TipStatus(v.Status).Valid() {
		return v, errs.OnField("status", "未知的举报状态")
	}
	var err error
	if v.Community, v.Problem, err = filterUnit(ctx, db, org.Community, v.Community); err != nil {
		return v, err
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f := store.TipFilter{Status: vetting.TipStatus(v.Status), OrgCode: v.Community, Limit: tipsPageSize, Offset: (page - 1) * tipsPageSize}
	items, total, err := db.Tips(ctx, f)
	if err != nil {
		return v, err
	}
	v.Items = items
	v.Pager = newPager(page, total, tipsPageSize).Of(url.Values{"status": {v.Status}, "community": {v.Community}}, "件")
	v.Communities, err = unitChoiceOf(ctx, db, org.Community)
	return v, err
}

func (s *Server) tipsPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.tipsView(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	s.render(w, r, "tips", http.StatusOK, v)
	return nil
}

type tipJSON struct {
	ID           int64             `json:"id"`
	Community    string            `json:"community"`
	CommunityNm  string            `json:"community_name"`
	Person       string            `json:"person"`
	AspirantID   int64             `json:"aspirant_id,omitempty"`
	AspirantName string            `json:"aspirant_name,omitempty"`
	Category     string            `json:"category"`
	Label        string            `json:"category_label"`
	Description  string            `json:"description"`
	HasContact   bool              `json:"has_contact"`
	Status       vetting.TipStatus `json:"status"`
	StatusLabel  string            `json:"status_label"`
	Result       string            `json:"result"`
	CaseID       int64             `json:"case_id,omitempty"`
	RoutedTo     vetting.TipRoute  `json:"routed_to"`
	RouteLabel   string            `json:"routed_to_label,omitempty"`
	SubmittedOn  civil.Date        `json:"submitted_on"`
	UpdatedOn    civil.Date        `json:"updated_on"`
	Files        []store.TipFile   `json:"files,omitempty"`
}

func toTipJSON(t store.TipRow) tipJSON {
	return tipJSON{t.ID, t.OrgCode, t.OrgName, t.Person, t.AspirantID, t.AspirantName, string(t.Category), t.CategoryLabel,
		t.Description, t.HasContact, t.Status, t.StatusLabel, t.Result, t.CaseID, t.RoutedTo, t.RouteLabel, t.SubmittedOn, t.UpdatedOn, t.Files}
}

func (s *Server) apiTips(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	v, err := s.tipsView(r.Context(), db, r.URL.Query())
	if err != nil {
		return err
	}
	items := make([]tipJSON, len(v.Items))
	for i, t := range v.Items {
		items[i] = toTipJSON(t)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": v.Pager.Total, "page": v.Pager.Page, "pages": v.Pager.Pages})
	return nil
}

// tipView is a tip's triage page.
type tipView struct {
	Tip       store.TipRow
	Next      []vetting.TipStatus
	Aspirants []store.AspirantRow // of the tip's community
	Cases     []store.CaseRow     // of the tip's community, as the viewer sees cases
	CaseSeen  bool                // the viewer may open the linked case
	Routes    []vetting.TipRoute  // the routes the viewer may choose; none for the police
	Contact   string              // once revealed
	CanCases  bool
}

func (v tipView) Title() string { return "举报 #" + strconv.FormatInt(v.Tip.ID, 10) }

func (s *Server) tipView(ctx context.Context, db *store.Scoped, id int64) (tipView, error) {
	t, err := db.Tip(ctx, id)
	if err != nil {
		return tipView{}, err
	}
	v := tipView{Tip: t, CanCases: db.Can(account.ManageCases)}
	for _, st := range vetting.TipStatuses {
		if vetting.TipTransition(t.Status, st) == nil {
			v.Next = append(v.Next, st)
		}
	}
	if db.TipDesk() == vetting.NotRouted {
		v.Routes = vetting.TipRoutes
	}
	if v.Aspirants, err = db.Aspirants(ctx, store.AspirantFilter{OrgCode: t.OrgCode}); err != nil {
		return v, err
	}
	if db.Can(account.ViewCaseOutcomes) {
		if v.Cases, _, err = db.Cases(ctx, store.CaseFilter{OrgCode: t.OrgCode}); err != nil {
			return v, err
		}
	}
	for _, c := range v.Cases {
		v.CaseSeen = v.CaseSeen || c.ID == t.CaseID
	}
	return v, nil
}

func (s *Server) tipDetailPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该举报")
	if err != nil {
		return err
	}
	v, err := s.tipView(r.Context(), db, id)
	if err != nil {
		return err
	}
	s.render(w, r, "tip_detail", http.StatusOK, v)
	return nil
}

func (s *Server) apiTipDetail(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该举报")
	if err != nil {
		return err
	}
	t, err := db.Tip(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTipJSON(t))
	return nil
}

// triageInput is the office's work on a tip. On the form an empty choice
// is "none" (unlink, take back from the police), not "leave it as it is".
type triageInput struct {
	Tip        int64             `json:"-" path:"id"`
	Status     vetting.TipStatus `json:"status"`
	Result     string            `json:"result"`
	AspirantID *int64            `json:"aspirant_id"`
	CaseID     *int64            `json:"case_id"`
	RoutedTo   *vetting.TipRoute `json:"routed_to"`
}

func (in *triageInput) readForm(v url.Values) error {
	orNone(v, "aspirant_id", &in.AspirantID)
	orNone(v, "case_id", &in.CaseID)
	orNone(v, "routed_to", &in.RoutedTo)
	return nil
}

// orNone makes *p the zero of its type when form field name was sent empty.
func orNone[T any](v url.Values, name string, p **T) {
	if _, sent := v[name]; sent && *p == nil {
		*p = new(T)
	}
}

func tipURL(id int64) string { return "/tips/" + strconv.FormatInt(id, 10) }

func (s *Server) triageTip() handlerFunc {
	return act(s, action[triageInput]{
		run: func(ctx context.Context, db *store.Scoped, in triageInput) (any, error) {
			if err := s.st.LogTips(ctx, true); err != nil {
				return nil, err
			}
			t, err := writeOne(ctx, db, func(tx *store.Tx) (store.TipRow, error) {
				return tx.TriageTip(ctx, in.Tip, store.TipTriage{Status: in.Status, Result: in.Result, AspirantID: in.AspirantID,
					CaseID: in.CaseID, RoutedTo: in.RoutedTo})
			})
			return toTipJSON(t), err
		},
		next:   func(in triageInput, _ any) string { return tipURL(in.Tip) },
		notice: "已保存。",
		page: func(ctx context.Context, db *store.Scoped, in triageInput) (string, any, error) {
			v, err := s.tipView(ctx, db, in.Tip)
			return "tip_detail", v, err
		},
	})
}

// tipContact reveals the contact a tip left, an audited act: the API answers
// it, the page shows it once on the tip's page. It takes no input but the
// tip (the API ignores a body).
func (s *Server) tipContact(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	id, err := pathID(r, "没有找到该举报")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := s.st.LogTips(ctx, true); err != nil {
		return err
	}
	contact, err := writeOne(ctx, db, func(tx *store.Tx) (string, error) { return tx.RevealTipContact(ctx, id) })
	if err != nil {
		return err
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]string{"contact": contact})
		return nil
	}
	v, err := s.tipView(ctx, db, id)
	if err != nil {
		return err
	}
	v.Contact = contact
	s.render(w, r, "tip_detail", http.StatusOK, v)
	return nil
}

// tipFileDownload streams a file of a tip in scope, audited.
func (s *Server) tipFileDownload(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	id, err := pathID(r, "没有找到该文件")
	if err != nil {
		return err
	}
	fileID, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "没有找到该文件")
	}
	if err := s.st.LogTips(ctx, true); err != nil {
		return err
	}
	var f store.TipFile
	err = db.Write(ctx, func(tx *store.Tx) error {
		var err error
		f, err = tx.TipFileOf(ctx, id, fileID)
		return err
	})
	if err != nil {
		return err
	}
	return s.sendStored(w, f.SHA256, f.Type, f.Name)
}
