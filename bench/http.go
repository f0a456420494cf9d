package bench

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"incontro/api"
	"incontro/matching"
	"incontro/store"
)

// What an HTTP step must achieve to count as sustained.
const (
	httpMinSuccess = 0.99
	httpMaxP95Ms   = 100
	httpTimeout    = 5 * time.Second
)

// HTTPFigures are the results of the HTTP load.
type HTTPFigures struct {
	StepSeconds float64        `json:"step_seconds"`
	Endpoints   []HTTPEndpoint `json:"endpoints"`
	// PeakRSSBytes is the process's largest resident set during the load
	// (the load generator's share included).
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// GC is the garbage collector's work during the load (the load
	// generator's share included).
	GC GCFigures `json:"gc"`
}

// HTTPEndpoint is one endpoint driven at increasing constant rates.
type HTTPEndpoint struct {
	Name  string `json:"name"`
	Route string `json:"route"`
	// Sustained is the highest rate (requests/s) with at least 99% success
	// and p95 at most 100 ms; 0 when not even the first was.
	Sustained int        `json:"sustained_rps"`
	Steps     []HTTPStep `json:"steps"`
}

// HTTPStep is one constant-rate step.
type HTTPStep struct {
	Rate       int      `json:"rate"`
	Requests   int      `json:"requests"`
	Success    float64  `json:"success"`
	Throughput float64  `json:"throughput"` // successful responses/s
	Latency    Latency  `json:"latency"`
	Sustained  bool     `json:"sustained"`
	Errors     []string `json:"errors,omitempty"` // a few distinct failures
}

// Endpoint names of the HTTP load.
const (
	EndpointMatch  = "match"
	EndpointSearch = "search"
)

// credential is an operator's API token and the requests they may match.
type credential struct {
	token    string
	requests []int64
}

// http serves the API in-process on the bench's store and index and drives
// the match and search endpoints with vegeta.
func (b *bench) http(ctx context.Context) error {
	if !b.cfg.HTTP {
		return nil
	}
	b.startIndexer(ctx)
	creds, err := b.operators(ctx)
	if err != nil {
		return err
	}
	srv, err := api.New(api.Config{Logger: slog.New(slog.DiscardHandler), Store: b.db, Index: b.ix, Version: "bench"})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// The API's handler, served as serve does, behind a counter of the
	// requests in flight: a step that overloads the server leaves work
	// behind (the client gave up, the server did not), and the next step
	// waits for it to drain.
	load := &inflight{h: srv.Handler()}
	hs := &http.Server{Handler: load, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		<-served
	}()
	base := "http://" + ln.Addr().String()

	wl, err := NewWorkload(b.cfg.Seed+2, max(b.cfg.Queries, 50), b.asOf)
	if err != nil {
		return err
	}
	var texts []string
	for _, s := range wl.Searches[ClassText] {
		texts = append(texts, s.Text)
	}
	var matchTargets, searchTargets []vegeta.Target
	for _, c := range creds {
		h := http.Header{"Authorization": {"Bearer " + c.token}, "Content-Type": {"application/json"}}
		for _, id := range c.requests {
			matchTargets = append(matchTargets, vegeta.Target{Method: http.MethodPost,
				URL: fmt.Sprintf("%s/api/v1/requests/%d/matches", base, id), Body: []byte(`{}`), Header: h})
		}
	}
	h := http.Header{"Authorization": {"Bearer " + creds[0].token}}
	for _, t := range texts {
		searchTargets = append(searchTargets, vegeta.Target{Method: http.MethodGet,
			URL: base + "/api/v1/candidates/search?q=" + url.QueryEscape(t), Header: h})
	}
	// Interleave the requests of different operators and texts.
	rnd := mrand.New(mrand.NewPCG(b.cfg.Seed, 0x6874_7470)) // "http"
	rnd.Shuffle(len(matchTargets), func(i, j int) { matchTargets[i], matchTargets[j] = matchTargets[j], matchTargets[i] })
	rnd.Shuffle(len(searchTargets), func(i, j int) { searchTargets[i], searchTargets[j] = searchTargets[j], searchTargets[i] })

	figs := &HTTPFigures{StepSeconds: b.cfg.HTTPDuration.Seconds()}
	rss, gcStart := sampleRSS(20*time.Millisecond), readGC()
	defer func() { figs.PeakRSSBytes, figs.GC = rss.Stop(), gcStart.since() }()
	// Searches first: they only read, so the step that overloads the
	// server leaves nothing behind once its requests are answered, while
	// the match runs it stores leave the database writing (WAL, vacuum)
	// for a while after, which slowed the searches measured next.
	for _, ep := range []struct {
		name, route string
		targets     []vegeta.Target
	}{
		{EndpointSearch, "GET /api/v1/candidates/search?q=…", searchTargets},
		{EndpointMatch, "POST /api/v1/requests/{id}/matches", matchTargets},
	} {
		if err := checkTarget(ctx, ep.targets[0]); err != nil {
			return fmt.Errorf("%s: %w", ep.route, err)
		}
		e := HTTPEndpoint{Name: ep.name, Route: ep.route}
		for _, r := range b.cfg.HTTPRates {
			if err := load.drain(ctx, b.logf); err != nil {
				return err
			}
			b.logf("HTTP %s: %d requests/s for %s", ep.name, r, b.cfg.HTTPDuration)
			st, err := attack(ctx, ep.targets, r, b.cfg.HTTPDuration, ep.name)
			if err != nil {
				return err
			}
			e.Steps = append(e.Steps, st)
			b.logf("HTTP %s: %d requests/s: %.1f%% success, p95 %.1f ms", ep.name, r, 100*st.Success, st.Latency.P95)
			if !st.Sustained {
				break
			}
			e.Sustained = r
		}
		figs.Endpoints = append(figs.Endpoints, e)
	}
	b.rep.HTTP = figs
	return nil
}

// inflight counts the requests a handler is serving.
type inflight struct {
	n atomic.Int64
	h http.Handler
}

func (f *inflight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.n.Add(1)
	defer f.n.Add(-1)
	f.h.ServeHTTP(w, r)
}

// drain waits until no request is in flight (at most a minute), and then
// a moment more for the database to settle.
func (f *inflight) drain(ctx context.Context, logf func(string, ...any)) error {
	start := time.Now()
	for f.n.Load() > 0 {
		if time.Since(start) > time.Minute {
			logf("HTTP: %d requests still in flight after a minute; going on", f.n.Load())
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	if waited := time.Since(start); waited > time.Second {
		logf("HTTP: waited %s for the previous step's requests to finish", waited.Round(100*time.Millisecond))
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(500 * time.Millisecond):
		return nil
	}
}

// operators makes an operator with an API token for every provider that
// has requests to match (the seed makes 4C requests for each provider).
func (b *bench) operators(ctx context.Context) ([]credential, error) {
	reqs, _, err := b.db.Requests(ctx, store.RequestFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	byProvider := map[int64][]int64{}
	var providers []int64
	for _, r := range reqs {
		if r.Status == matching.StatusClosed {
			continue
		}
		v, err := b.db.Vacancy(ctx, r.VacancyID)
		if err != nil {
			return nil, err
		}
		if len(v.Requirements) == 0 {
			continue
		}
		if _, ok := byProvider[r.ProviderID]; !ok {
			providers = append(providers, r.ProviderID)
		}
		byProvider[r.ProviderID] = append(byProvider[r.ProviderID], r.ID)
	}
	if len(providers) == 0 {
		return nil, errors.New("the seed made no request with ranked requirements to match")
	}
	slices.Sort(providers)
	var creds []credential
	for _, pid := range providers {
		u := matching.User{Email: fmt.Sprintf("bench.operator.%d@example.org", pid), Name: "Operatore del bench",
			Role: matching.RoleOperator, ProviderID: &pid}
		if err := b.db.CreateUser(ctx, &u); err != nil {
			return nil, err
		}
		secret, hash := newAPIToken()
		if err := b.db.CreateAPIToken(ctx, &matching.APIToken{UserID: u.ID, Name: "bench"}, hash); err != nil {
			return nil, err
		}
		creds = append(creds, credential{token: secret, requests: byProvider[pid]})
	}
	return creds, nil
}

// newAPIToken makes an API token as the API does (api/auth.go): inc_ and
// 32 random bytes, stored as its SHA-256.
func newAPIToken() (secret string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails
	secret = "inc_" + base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(secret))
	return secret, h[:]
}

// checkTarget sends one request and fails unless it succeeds, so that a
// misconfigured load does not pass for a slow server.
func checkTarget(ctx context.Context, t vegeta.Target) error {
	req, err := t.Request()
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1000))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("a trial request answered %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// attack runs one constant-rate step over the targets in turn.
func attack(ctx context.Context, targets []vegeta.Target, rps int, d time.Duration, name string) (HTTPStep, error) {
	var next atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		*t = targets[(next.Add(1)-1)%uint64(len(targets))]
		return nil
	}
	a := vegeta.NewAttacker(vegeta.Timeout(httpTimeout), vegeta.KeepAlive(true))
	results := a.Attack(targeter, vegeta.Rate{Freq: rps, Per: time.Second}, d, name)
	st := HTTPStep{Rate: rps}
	var lat []time.Duration
	ok := 0
	seen := map[string]bool{}
	var first, last time.Time
	for {
		var res *vegeta.Result
		var more bool
		select {
		case <-ctx.Done():
			a.Stop()
			for range results {
			}
			return st, ctx.Err()
		case res, more = <-results:
		}
		if !more {
			break
		}
		st.Requests++
		if first.IsZero() || res.Timestamp.Before(first) {
			first = res.Timestamp
		}
		if end := res.End(); end.After(last) {
			last = end
		}
		if res.Error == "" && res.Code >= 200 && res.Code < 300 {
			ok++
			lat = append(lat, res.Latency)
		} else {
			why := res.Error
			switch {
			case res.Code >= 300 && len(res.Body) > 0:
				why = fmt.Sprintf("%d %s", res.Code, strings.TrimSpace(string(res.Body[:min(len(res.Body), 200)])))
			case why == "":
				why = fmt.Sprintf("status %d", res.Code)
			default:
				if before, after, ok := strings.Cut(why, `": `); ok && strings.Contains(before, "://") {
					why = after // the error without the request's URL, so that alike ones are alike
				}
			}
			if !seen[why] && len(seen) < 3 {
				seen[why] = true
				st.Errors = append(st.Errors, why)
			}
			// A failure counts at its latency too: a timeout is slow.
			lat = append(lat, res.Latency)
		}
		res.Body = nil
	}
	if st.Requests > 0 {
		st.Success = roundTo(float64(ok)/float64(st.Requests), 4)
	}
	st.Throughput = rate(ok, last.Sub(first))
	st.Latency = Summarize(lat)
	st.Latency.Planned = int(float64(rps) * d.Seconds())
	st.Sustained = st.Requests > 0 && st.Success >= httpMinSuccess && st.Latency.P95 <= httpMaxP95Ms
	return st, nil
}
