package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

func TestTheWordingCheckFlagsAnAdWithoutSavingIt(t *testing.T) {
	w := newWorld(t)
	status, body := w.signIn(employer1).do(http.MethodPost, "/api/v1/vacancies/check",
		map[string]string{"description": "Cercasi barista donna, età massima 35 anni"})
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	var out struct {
		Findings []matching.AdFinding `json:"findings"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	grounds := map[matching.Ground]bool{}
	for _, f := range out.Findings {
		grounds[f.Ground] = true
		if f.Law == "" || f.Explanation == "" || f.Excerpt == "" {
			t.Errorf("finding without law, explanation or excerpt: %+v", f)
		}
	}
	if len(grounds) != 2 || !grounds[matching.GroundSex] || !grounds[matching.GroundAge] {
		t.Errorf("grounds = %v, want sex and age", grounds)
	}

	status, body = w.signIn(operatorA).do(http.MethodPost, "/api/v1/vacancies/check",
		map[string]string{"title": "Cameriere/a di sala", "description": "Cerchiamo una persona con due anni di esperienza."})
	if status != http.StatusOK || !strings.Contains(string(body), `"findings":[]`) {
		t.Errorf("a lawful ad: %d %s", status, body)
	}
	status, body = w.signIn(operatorA).do(http.MethodPost, "/api/v1/vacancies/check",
		map[string]string{"description": "Apprendista", "contract_type": "forever"})
	if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "contract_type" {
		t.Errorf("bad contract type: %d %s", status, body)
	}
}

func TestAFlaggedVacancyIsPublishedOnlyWithAnOperatorsJustification(t *testing.T) {
	w := newWorld(t)
	emp := w.signIn(employer1)
	status, body := emp.do(http.MethodPost, "/api/v1/vacancies", map[string]any{
		"title": "Barista", "description": "Cercasi barista donna, bella presenza, età massima 30 anni.",
		"municipality_code": "022205", "contract_type": "permanent",
		"requirements": []map[string]any{{"rank": 1, "kind": "licence", "code": "B"}},
	})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	var v api.VacancyView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Findings) < 3 || v.Status != matching.VacancyDraft || len(v.Weights) != 1 {
		t.Fatalf("the saved vacancy should carry its findings and weights: %s", body)
	}
	publish := fmt.Sprintf("/api/v1/vacancies/%d/publish", v.ID)

	status, body = emp.do(http.MethodPost, publish, nil)
	if status != http.StatusConflict || errorOf(t, body).Field != "justification" {
		t.Errorf("publishing a flagged ad without justification: %d %s", status, body)
	}
	status, body = emp.do(http.MethodPost, publish, map[string]string{"justification": "Lo dico io che va bene così, davvero."})
	if status != http.StatusForbidden {
		t.Errorf("an employer justified its own ad: %d %s", status, body)
	}
	op := w.signIn(operatorA)
	status, body = op.do(http.MethodPost, publish, map[string]string{"justification": "breve"})
	if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != "justification" {
		t.Errorf("a too short justification: %d %s", status, body)
	}
	got, err := w.db.Vacancy(context.Background(), v.ID)
	if err != nil || got.Status != matching.VacancyDraft {
		t.Fatalf("a refused publication changed the vacancy: %+v %v", got.Status, err)
	}

	const why = "Concordato con l'azienda: il testo sarà corretto, pubblicazione urgente approvata dal responsabile."
	status, body = op.do(http.MethodPost, publish, map[string]string{"justification": why})
	if status != http.StatusOK {
		t.Fatalf("operator publication: %d %s", status, body)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v.Status != matching.VacancyPublished || len(matching.Unjustified(v.Findings)) != 0 || v.Findings[0].Justification != why {
		t.Errorf("published vacancy = %s", body)
	}
	evs, _, err := w.db.AuditLog(context.Background(), store.AuditFilter{Action: "vacancy_flagged_published"})
	if err != nil || len(evs) != 1 || !strings.Contains(string(evs[0].Detail), "Concordato") || *evs[0].UserID != w.users[operatorA].ID {
		t.Errorf("the justification must be in the audit log: %+v %v", evs, err)
	}

	t.Run("a published ad edited into new flagged wording is refused and unchanged", func(t *testing.T) {
		status, body := op.do(http.MethodPut, fmt.Sprintf("/api/v1/vacancies/%d", v.ID), map[string]any{
			"title": "Barista", "description": "Cercasi barista donna, bella presenza, età massima 30 anni. Solo italiani.",
			"municipality_code": "022205", "contract_type": "permanent",
			"requirements": []map[string]any{{"rank": 1, "kind": "licence", "code": "B"}},
		})
		if status != http.StatusConflict || errorOf(t, body).Field != "justification" {
			t.Errorf("%d %s", status, body)
		}
		got, err := w.db.Vacancy(context.Background(), v.ID)
		if err != nil || strings.Contains(got.Description, "italiani") {
			t.Errorf("the refused edit was saved: %q %v", got.Description, err)
		}
	})
}

func TestACleanVacancyIsPublishedByItsEmployer(t *testing.T) {
	w := newWorld(t)
	emp := w.signIn(employer1)
	status, body := emp.do(http.MethodPost, "/api/v1/vacancies", map[string]any{
		"title": "Cameriere/a di sala", "description": "Cerchiamo una persona con esperienza nel servizio ai tavoli.",
		"municipality_code": "022205", "contract_type": "seasonal",
		"requirements": []map[string]any{{"rank": 1, "kind": "language", "code": "de", "level": "B1"}},
	})
	if status != http.StatusCreated {
		t.Fatalf("%d %s", status, body)
	}
	var v api.VacancyView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	status, body = emp.do(http.MethodPost, fmt.Sprintf("/api/v1/vacancies/%d/publish", v.ID), nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"published"`) {
		t.Errorf("%d %s", status, body)
	}
	status, body = emp.do(http.MethodPost, fmt.Sprintf("/api/v1/vacancies/%d/publish", v.ID), nil)
	if status != http.StatusConflict {
		t.Errorf("publishing twice: %d %s", status, body)
	}
}

func TestVacancyInputErrorsNameTheField(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		actor string
		body  map[string]any
		field string
	}{
		{employer1, map[string]any{"title": "", "municipality_code": "022205", "contract_type": "permanent"}, "title"},
		{employer1, map[string]any{"title": "X", "municipality_code": "022205", "contract_type": "permanent", "employer_id": w.employer2.ID}, "employer_id"},
		{operatorA, map[string]any{"title": "X", "municipality_code": "022205", "contract_type": "permanent", "employer_id": w.employer2.ID}, "employer_id"},
		{employer1, map[string]any{"title": "X", "municipality_code": "022205", "contract_type": "permanent",
			"requirements": []map[string]any{{"rank": 1, "kind": "language", "code": "de", "level": "B7"}}}, "requirements[0].level"},
	} {
		status, body := w.signIn(tc.actor).do(http.MethodPost, "/api/v1/vacancies", tc.body)
		if status != http.StatusUnprocessableEntity || errorOf(t, body).Field != tc.field {
			t.Errorf("%v: %d %s, want 422 on %s", tc.body, status, body, tc.field)
		}
	}
}
