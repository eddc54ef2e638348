package store_test

import (
	"strings"
	"testing"

	"github.com/huanjie/huanjie/internal/assess"
	"github.com/huanjie/huanjie/internal/errs"
	"github.com/huanjie/huanjie/internal/store"
)

// classesZone returns, in the demo zone without the gates (gatelessZone), the first
// community of district QS-01 that has a plan with an open measure, that
// plan and that measure, and its latest assessment.
func classesZone(t *testing.T, st *store.Store) (code string, plan assess.Plan, measure assess.Measure, assessment int64) {
	t.Helper()
	zone := st.Zone(store.System)
	list, err := zone.CommunityClasses(ctx, store.CommunityFilter{District: "QS-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		plans, err := zone.Plans(ctx, c.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range plans {
			for _, m := range p.Measures {
				if m.DoneOn == "" && c.Standing.AssessmentID != 0 {
					return c.Code, p, m, c.Standing.AssessmentID
				}
			}
		}
	}
	t.Fatal("no community of QS-01 with an open measure")
	return
}

// auditCount is the number of entries in the audit log.
func auditCount(t *testing.T, st *store.Store) int64 {
	t.Helper()
	n, err := st.QueryInt(ctx, `SELECT COUNT(*) FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// An office scoped to district QS-02 changes nothing of QS-01's: every
// write of the three classes that names a community, a plan, a measure or
// an assessment there is "not found" (so the scope cannot be probed), and
// the zone's rubric and rules are refused as forbidden; nothing is written,
// not even an audit entry.
func TestClassWritesStayInScope(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		code, plan, measure, assessmentID := classesZone(t, st)
		zone := st.Zone(store.System)
		qs02, err := zone.OrgByCode(ctx, "QS-02")
		if err != nil {
			t.Fatal(err)
		}
		west := within(st, qs02.Path)
		westCode := "QS-02-001"
		// A file attached by the office, to see that the scoped view neither
		// lists nor serves it.
		err = zone.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.AddAttachment(ctx, assessmentID, assess.Attachment{SHA256: "ab12", Name: "走访记录.pdf", Type: "application/pdf", Size: 10})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		beforeCounts, _ := zone.ClassCounts(ctx)
		beforeHistory, _ := zone.Assessments(ctx, westCode)
		beforeRules, _ := zone.AssessRules(ctx)
		entries := auditCount(t, st)

		scores := assess.Scores{}
		for _, ind := range assess.DefaultRubric() {
			scores[ind.Code] = ind.Max
		}
		good := assess.Assessment{OrgCode: westCode, AssessedOn: "2026-01-05", Assessors: []assess.Assessor{{Unit: "党群部", Name: "王强"}},
			Scores: scores}
		theirs := good
		theirs.OrgCode = code
		notFound := map[string]func(tx *store.Tx) error{
			"add assessment": func(tx *store.Tx) error { _, err := tx.AddAssessment(ctx, theirs); return err },
			"override": func(tx *store.Tx) error {
				_, err := tx.SetOverride(ctx, code, assess.A, "片区想改成A类")
				return err
			},
			"import plans": func(tx *store.Tx) error {
				return tx.ImportPlans(ctx, []assess.Plan{{OrgCode: code, Kind: assess.ContingencyPlan, Title: "越权方案"}})
			},
			"add plan": func(tx *store.Tx) error {
				_, err := tx.AddPlan(ctx, assess.Plan{OrgCode: code, Kind: assess.ContingencyPlan, Title: "越权方案"})
				return err
			},
			"add measure": func(tx *store.Tx) error {
				_, err := tx.AddMeasure(ctx, assess.Measure{PlanID: plan.ID, Section: assess.Sections[0], Content: "越权措施",
					Owner: "李明", Due: "2026-02-01"})
				return err
			},
			"complete measure": func(tx *store.Tx) error { return tx.CompleteMeasure(ctx, measure.ID, "2026-01-05") },
			"attach": func(tx *store.Tx) error {
				_, err := tx.AddAttachment(ctx, assessmentID, assess.Attachment{SHA256: "cd34", Name: "越权.pdf", Type: "application/pdf", Size: 1})
				return err
			},
		}
		for name, write := range notFound {
			if err := west.Write(ctx, write); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s in another district: %v, want not found", name, err)
			}
		}
		var scoresOnly assess.Rubric // the rubric without its flags
		for _, ind := range assess.DefaultRubric() {
			if ind.Kind == assess.Score {
				scoresOnly = append(scoresOnly, ind)
			}
		}
		// An imported workbook names its communities in a column: one outside
		// the scope is refused as a bad cell, exactly as one that does not exist.
		importing := func(code string) error {
			missing := good
			missing.OrgCode = code
			return west.Write(ctx, func(tx *store.Tx) error {
				return tx.ImportAssessments(ctx, []assess.Assessment{good, missing}, nil)
			})
		}
		outside, nowhere := importing(code), importing("QS-99-999")
		if !errs.Is(outside, errs.Unprocessable) || errs.FieldOf(outside) != "code" ||
			errs.MessageOf(outside) != strings.Replace(errs.MessageOf(nowhere), "QS-99-999", code, 1) {
			t.Errorf("import naming another district's community: %v; naming none: %v", outside, nowhere)
		}
		forbidden := map[string]func(tx *store.Tx) error{
			"save rules": func(tx *store.Tx) error {
				_, err := tx.SaveRules(ctx, assess.Rules{AMin: 50, BMin: 40, PlansRequired: beforeRules.PlansRequired})
				return err
			},
			"save rubric": func(tx *store.Tx) error { _, err := tx.SaveRubric(ctx, scoresOnly); return err },
			"reclassify":  func(tx *store.Tx) error { _, err := tx.Reclassify(ctx, "片区重新分类"); return err },
		}
		for name, write := range forbidden {
			if err := west.Write(ctx, write); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s by a scoped office: %v, want forbidden", name, err)
			}
		}

		if n := auditCount(t, st); n != entries {
			t.Errorf("refused writes left %d audit entries", n-entries)
		}
		if after, _ := zone.ClassCounts(ctx); after[assess.A] != beforeCounts[assess.A] || after[assess.C] != beforeCounts[assess.C] {
			t.Errorf("classes moved: %v, were %v", after, beforeCounts)
		}
		if after, _ := zone.Assessments(ctx, westCode); len(after) != len(beforeHistory) {
			t.Errorf("the refused import kept %d assessments of its own district's", len(after)-len(beforeHistory))
		}
		if after, _ := zone.AssessRules(ctx); after.AMin != beforeRules.AMin || after.BMin != beforeRules.BMin {
			t.Errorf("rules changed: %+v", after)
		}
		plans, _ := zone.Plans(ctx, code)
		for _, p := range plans {
			for _, m := range p.Measures {
				if m.ID == measure.ID && m.DoneOn != "" {
					t.Error("the measure was closed from another district")
				}
				if m.Content == "越权措施" {
					t.Error("a measure was added from another district")
				}
			}
		}
		if len(plans) > 0 && plans[len(plans)-1].Title == "越权方案" {
			t.Error("a plan was added from another district")
		}

		// Reads answer the same way.
		if _, err := west.Assessments(ctx, code); !errs.Is(err, errs.NotFound) {
			t.Errorf("assessments of another district: %v", err)
		}
		if _, err := west.Plans(ctx, code); !errs.Is(err, errs.NotFound) {
			t.Errorf("plans of another district: %v", err)
		}
		if files, err := west.AttachmentsOf(ctx, []int64{assessmentID}); err != nil || len(files[assessmentID]) != 0 {
			t.Errorf("attachments of another district's assessment: %v %v", files, err)
		}
		if _, _, err := west.AttachmentInScope(ctx, "ab12"); !errs.Is(err, errs.NotFound) {
			t.Errorf("download of another district's attachment: %v", err)
		}
		if files, _ := zone.AttachmentsOf(ctx, []int64{assessmentID}); len(files[assessmentID]) != 1 {
			t.Errorf("the office's attachment: %v", files)
		}
	})
}

// Writes by id reach only the current cycle: a plan, a measure or an
// assessment of a past cycle is "not found", as one of another district.
func TestClassWritesStayInCycle(t *testing.T) {
	gatelessZone.ForEach(t, func(t *testing.T, st *store.Store) {
		_, plan, measure, assessmentID := classesZone(t, st)
		// The office starts the next cycle (no command does that yet).
		if err := st.Tamper(ctx, `UPDATE cycles SET current = FALSE`,
			`INSERT INTO cycles (code, name, election_day, current) VALUES ('2031', '2031年社区两委换届', '', TRUE)`); err != nil {
			t.Fatal(err)
		}
		entries := auditCount(t, st)
		zone := st.Zone(store.System)
		writes := map[string]func(tx *store.Tx) error{
			"add measure": func(tx *store.Tx) error {
				_, err := tx.AddMeasure(ctx, assess.Measure{PlanID: plan.ID, Section: assess.Sections[0], Content: "上届措施",
					Owner: "李明", Due: "2031-02-01"})
				return err
			},
			"complete measure": func(tx *store.Tx) error { return tx.CompleteMeasure(ctx, measure.ID, "2031-01-05") },
			"attach": func(tx *store.Tx) error {
				_, err := tx.AddAttachment(ctx, assessmentID, assess.Attachment{SHA256: "ef56", Name: "上届.pdf", Type: "application/pdf", Size: 1})
				return err
			},
		}
		for name, write := range writes {
			if err := zone.Write(ctx, write); !errs.Is(err, errs.NotFound) {
				t.Errorf("%s of the past cycle: %v, want not found", name, err)
			}
		}
		if n := auditCount(t, st); n != entries {
			t.Errorf("refused writes left %d audit entries", n-entries)
		}
	})
}
