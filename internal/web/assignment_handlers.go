package web

import (
	"context"
	"net/http"

	"github.com/huanjie/huanjie/internal/org"
	"github.com/huanjie/huanjie/internal/store"
)

type assignmentJSON struct {
	ID       int64    `json:"id"`
	Org      string   `json:"org"`
	Duty     org.Duty `json:"duty"`
	Label    string   `json:"duty_label"`
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Phone    string   `json:"phone_masked"`
	Username string   `json:"username"`
}

func toAssignmentJSON(a org.Assignment) assignmentJSON {
	return assignmentJSON{a.ID, a.OrgCode, a.Duty, a.Duty.Label(), a.Name, a.Unit, a.Phone, a.Username}
}

func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request, db *store.Scoped) error {
	ctx := r.Context()
	code := r.PathValue("code")
	if _, err := db.OrgByCode(ctx, code); err != nil {
		return err
	}
	list, err := db.AssignmentsIn(ctx, code)
	if err != nil {
		return err
	}
	items := make([]assignmentJSON, len(list))
	for i, a := range list {
		items[i] = toAssignmentJSON(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// assignmentInput is a new assignment of a duty on a unit.
type assignmentInput struct {
	Org      string   `json:"-" path:"code"`
	Duty     org.Duty `json:"duty"`
	Name     string   `json:"name"`
	Unit     string   `json:"unit"`
	Phone    string   `json:"phone"`
	Username string   `json:"username"`
}

func (s *Server) addAssignment() handlerFunc {
	return act(s, action[assignmentInput]{
		run: func(ctx context.Context, db *store.Scoped, in assignmentInput) (any, error) {
			a, err := writeOne(ctx, db, func(tx *store.Tx) (org.Assignment, error) {
				return tx.AddAssignment(ctx, org.Assignment{OrgCode: in.Org, Duty: in.Duty, Name: in.Name, Unit: in.Unit, Phone: in.Phone, Username: in.Username})
			})
			a.Phone = ""
			return toAssignmentJSON(a), err
		},
		created: true,
		next:    func(in assignmentInput, _ any) string { return orgURL(in.Org) },
		notice:  "包保责任人已指派。",
		page: func(ctx context.Context, db *store.Scoped, in assignmentInput) (string, any, error) {
			return s.orgAgain(ctx, db, in.Org)
		},
	})
}

// assignmentRef is an assignment to end; org is its unit, the page the
// form goes back to.
type assignmentRef struct {
	ID  int64  `json:"-" path:"id"`
	Org string `json:"org,omitempty"`
}

func (s *Server) removeAssignment() handlerFunc {
	return act(s, action[assignmentRef]{
		run: func(ctx context.Context, db *store.Scoped, in assignmentRef) (any, error) {
			err := db.Write(ctx, func(tx *store.Tx) error { return tx.RemoveAssignment(ctx, in.ID) })
			return map[string]bool{"ok": true}, err
		},
		next:   func(in assignmentRef, _ any) string { return orgURL(in.Org) },
		notice: "包保责任已取消。",
		page: func(ctx context.Context, db *store.Scoped, in assignmentRef) (string, any, error) {
			return s.orgAgain(ctx, db, in.Org)
		},
	})
}
