package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"incontro/api"
	"incontro/matching"
)

func TestThePublicVacancyRoutes(t *testing.T) {
	w := newWorld(t)
	cook := w.publishVacancy(func(v *matching.Vacancy) {
		v.Title, v.OccupationCode, v.ISCOCode = "Cuoco/a di linea", "occ-cuoco", "5120"
	})
	waiter := w.publishVacancy(func(v *matching.Vacancy) {
		v.Title, v.MunicipalityCode, v.ContractType = "Cameriere/a di sala", "022161", "seasonal"
	})
	anon := w.signIn(anonymous)
	list := func(query string) api.PublicVacancyList {
		t.Helper()
		status, body := anon.do(http.MethodGet, "/api/v1/public/vacancies?"+query, nil)
		return jsonOf[api.PublicVacancyList](t, want(t, status, body, http.StatusOK))
	}
	ids := func(l api.PublicVacancyList) []int64 {
		out := []int64{}
		for _, v := range l.Items {
			out = append(out, v.ID)
		}
		return out
	}

	l := list("")
	if got := ids(l); l.Total != 2 || len(got) != 2 || got[0] != waiter.ID || got[1] != cook.ID || l.Limit != 20 || l.Offset != 0 {
		t.Errorf("the list = %+v", l)
	}
	if v := l.Items[1]; v.EmployerName != "Hotel Uno" || v.Municipality != "Trento" || v.Province != "TN" || v.Occupation != "Cuoco" ||
		v.ISCOCode != "5120" || v.ContractType != "permanent" || v.PublishedAt == nil || len(v.Requirements) != 0 {
		t.Errorf("a list item = %+v", v)
	}
	for query, want := range map[string][]int64{
		"q=cuoco":                   {cook.ID},
		"place=022161":              {waiter.ID},
		"place=Rovereto":            {waiter.ID},
		"occupation=occ-cuoco":      {cook.ID},
		"occupation=Cuoco":          {cook.ID},
		"contract=seasonal":         {waiter.ID},
		"limit=1&offset=1":          {cook.ID},
		"q=" + url.QueryEscape("%"): {},
	} {
		if got := ids(list(query)); len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}

	t.Run("bad parameters are refused, naming them", func(t *testing.T) {
		for query, field := range map[string]string{
			"place=Atlantide": "place", "occupation=astronauta-lunare": "occupation", "contract=forever": "contract",
			"limit=0": "limit", "limit=101": "limit", "offset=-1": "offset", "page=2": "page",
			"q=" + strings.Repeat("a", 201): "q",
		} {
			status, body := anon.do(http.MethodGet, "/api/v1/public/vacancies?"+query, nil)
			wantField(t, status, body, http.StatusUnprocessableEntity, field)
		}
	})

	t.Run("one vacancy, without what is not public", func(t *testing.T) {
		status, body := anon.do(http.MethodGet, "/api/v1/public/vacancies/"+itoa(cook.ID), nil)
		v := jsonOf[api.PublicVacancy](t, want(t, status, body, http.StatusOK, `"employer_name":"Hotel Uno"`))
		if v.ID != cook.ID || len(v.Requirements) != 1 || v.Requirements[0].Kind != matching.ReqLicence || v.Requirements[0].Text != "Patente B" {
			t.Errorf("vacancy = %+v", v)
		}
		for _, secret := range []string{"hotel.uno@example.org", w.employer1.TaxCode, "created_by", "findings", "employer_id"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("the public vacancy shows %q: %s", secret, body)
			}
		}
	})

	t.Run("a draft is not found, a closed vacancy is gone", func(t *testing.T) {
		status, body := anon.do(http.MethodGet, "/api/v1/public/vacancies/"+itoa(w.vacancy2.ID), nil)
		if status != http.StatusNotFound || errorOf(t, body).Code != matching.ENOTFOUND {
			t.Errorf("a draft: %d %s", status, body)
		}
		if err := w.db.PublishVacancy(t.Context(), w.vacancy1.ID, "", nil, nil); err != nil {
			t.Fatal(err)
		}
		if got := list("").Total; got != 3 {
			t.Errorf("%d vacancies once vacancy 1 is published", got)
		}
		w.closeRequest1()
		status, body = anon.do(http.MethodGet, "/api/v1/public/vacancies/"+itoa(w.vacancy1.ID), nil)
		if status != http.StatusGone || !strings.Contains(errorOf(t, body).Message, "closed") {
			t.Errorf("a closed vacancy: %d %s", status, body)
		}
		if got := ids(list("")); len(got) != 2 {
			t.Errorf("the closed vacancy is still listed: %v", got)
		}
	})
}
