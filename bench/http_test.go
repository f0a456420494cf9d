package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestAttackSaysWhetherARateIsSustained(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	ok := vegeta.Target{Method: http.MethodGet, URL: srv.URL + "/ok"}
	fail := vegeta.Target{Method: http.MethodGet, URL: srv.URL + "/fail"}
	ctx := context.Background()

	t.Run("a rate answered in time is sustained", func(t *testing.T) {
		st, err := attack(ctx, []vegeta.Target{ok}, 40, 250*time.Millisecond, "ok")
		if err != nil {
			t.Fatal(err)
		}
		if !st.Sustained || st.Success != 1 || st.Requests < 5 || st.Latency.N != st.Requests || len(st.Errors) != 0 {
			t.Errorf("step = %+v", st)
		}
	})
	t.Run("a rate with failures is not, and says why", func(t *testing.T) {
		st, err := attack(ctx, []vegeta.Target{ok, fail}, 40, 250*time.Millisecond, "half")
		if err != nil {
			t.Fatal(err)
		}
		if st.Sustained || st.Success > 0.6 || st.Success < 0.4 {
			t.Errorf("step = %+v", st)
		}
		if len(st.Errors) != 1 || !strings.Contains(st.Errors[0], "overloaded") {
			t.Errorf("errors = %q, want the one failure once", st.Errors)
		}
	})
}
