package web

import (
	"context"
	"net/http"

	"github.com/huanjie/huanjie/internal/account"
	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

// Cycles (届次): open the next one, make it current, and read an earlier
// one. Reading an earlier cycle is a choice of the reader's browser (a
// cookie) or of an API call (?cycle=): the store then reads that cycle and
// refuses every write, so its data stays as it was.

// cycleCookie holds the code of the earlier cycle a reader chose to read.
const cycleCookie = "hj_cycle"

type cyclesView struct {
	Cycles  []org.Cycle
	Reading org.Cycle // the cycle the pages show
	CanEdit bool      // may open and switch cycles
}

func (cyclesView) Title() string { return "换届届次" }

func (s *Server) cyclesView(ctx context.Context, db *store.Scoped) (string, any, error) {
	cycles, err := s.st.Cycles(ctx)
	if err != nil {
		return "", nil, err
	}
	reading, err := db.Cycle(ctx)
	if err != nil {
		return "", nil, err
	}
	return "cycles", cyclesView{Cycles: cycles, Reading: reading, CanEdit: db.Can(account.ManageProcess) && db.ZoneWide()}, nil
}

func (s *Server) cyclesPage(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	name, v, err := s.cyclesView(r.Context(), db)
	if err != nil {
		return err
	}
	s.render(w, r, name, http.StatusOK, v)
	return nil
}

func cycleJSON(c org.Cycle) map[string]any {
	return map[string]any{"code": c.Code, "name": c.Name, "current": c.Current,
		"party_day": c.PartyDay, "residents_day": c.ElectionDay}
}

func (s *Server) apiCycles(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	cycles, err := s.st.Cycles(r.Context())
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(cycles))
	for i, c := range cycles {
		items[i] = cycleJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// cycleInput opens a cycle; cycleRef names one in the path.
type cycleInput struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type cycleRef struct {
	Code string `json:"-" path:"code"`
}

func (s *Server) addCycle() handlerFunc {
	return act(s, action[cycleInput]{
		run: func(ctx context.Context, db *store.Scoped, in cycleInput) (any, error) {
			c, err := writeOne(ctx, db, func(tx *store.Tx) (org.Cycle, error) {
				return tx.AddCycle(ctx, org.Cycle{Code: in.Code, Name: in.Name})
			})
			return cycleJSON(c), err
		},
		created: true,
		next:    func(cycleInput, any) string { return "/cycles" },
		notice:  "新届次已建立,两委成员、环节模板和研判标准已带入;设为本届后开始使用。",
		page: func(ctx context.Context, db *store.Scoped, _ cycleInput) (string, any, error) {
			return s.cyclesView(ctx, db)
		},
	})
}

func (s *Server) makeCurrent() handlerFunc {
	return act(s, action[cycleRef]{
		run: func(ctx context.Context, db *store.Scoped, in cycleRef) (any, error) {
			c, err := writeOne(ctx, db, func(tx *store.Tx) (org.Cycle, error) { return tx.MakeCurrent(ctx, in.Code) })
			return cycleJSON(c), err
		},
		next:   func(cycleRef, any) string { return "/cycles" },
		notice: "已切换本届;此前的届次可在此查看,数据保持原样。",
		page: func(ctx context.Context, db *store.Scoped, _ cycleRef) (string, any, error) {
			return s.cyclesView(ctx, db)
		},
	})
}

// readCycle chooses the cycle the reader's pages show: an earlier one (a
// cookie for a year) or, with an empty code, the current one again.
func (s *Server) readCycle(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	code := r.PostFormValue("code")
	c := &http.Cookie{Name: cycleCookie, Path: "/", HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode}
	notice := "已回到本届。"
	if code == "" {
		c.MaxAge = -1
	} else {
		earlier, err := db.InCycle(r.Context(), code)
		if err != nil {
			return err
		}
		reading, _ := earlier.Cycle(r.Context())
		if earlier.Earlier() {
			c.Value, c.MaxAge, notice = code, 365*24*3600, "正在查看"+reading.Name+",往届数据只读。"
		} else {
			c.MaxAge = -1
		}
	}
	http.SetCookie(w, c)
	s.redirect(w, r, "/", notice)
	return nil
}

// inChosenCycle is db reading the cycle the request chose (?cycle= on the
// API, the cookie on pages), db itself when it chose none or one that no
// longer exists.
func inChosenCycle(r *http.Request, db *store.Scoped) *store.Scoped {
	code := ""
	if isAPI(r) {
		code = r.URL.Query().Get("cycle")
	} else if c, err := r.Cookie(cycleCookie); err == nil {
		code = c.Value
	}
	if code == "" {
		return db
	}
	if earlier, err := db.InCycle(r.Context(), code); err == nil {
		return earlier
	}
	return db
}
