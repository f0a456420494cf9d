package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"incontro/index"
	"incontro/store"
	"incontro/store/storetest"
)

// server is a child process running incontro serve.
type server struct {
	cmd  *exec.Cmd
	addr string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer starts incontro serve as a child process and waits until it is ready.
func startServer(t *testing.T, url, dataDir string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t)}
	s.cmd = exec.Command(os.Args[0], "serve", "--data-dir", dataDir, "--addr", s.addr, "--log-level", "warn")
	s.cmd.Env = append(os.Environ(), runAsCommand+"=1", "DATABASE_URL="+url)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd.Process.Kill()
	t.Fatal("the server never became ready")
	return nil
}

func (s *server) kill9(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("the server did not stop cleanly: %v", err)
	}
}

// searchableIDs are the candidates PostgreSQL says the index must hold.
func searchableIDs(t *testing.T, db *store.DB) []int64 {
	t.Helper()
	ids := []int64{}
	if err := db.SQL().Select(&ids, `SELECT id FROM candidates WHERE searchable ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestTheIndexConvergesAfterKill9 writes CVs while the server indexes them,
// kills the server with SIGKILL at random moments, restarts it, and checks
// that in the end the index holds exactly the searchable candidates.
func TestTheIndexConvergesAfterKill9(t *testing.T) {
	ctx := context.Background()
	url := storetest.MustURL(t)
	if code, _, stderr := run(t, env(map[string]string{"DATABASE_URL": url}), "seed", "--candidates", "400", "--as-of", "2026-11-25"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dataDir := t.TempDir()
	ids := searchableIDs(t, db)
	r := rand.New(rand.NewPCG(1, 2))

	srv := startServer(t, url, dataDir)
	for round := 0; round < 3; round++ {
		stop := make(chan struct{})
		wrote := make(chan int)
		go func(seed uint64) {
			r := rand.New(rand.NewPCG(seed, 3)) // the writer's own
			n := 0
			defer func() { wrote <- n }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				c, err := db.Candidate(ctx, ids[r.IntN(len(ids))])
				if err != nil {
					continue
				}
				c.Searchable = !c.Searchable
				c.Headline = fmt.Sprintf("Aggiornato %d", n)
				if db.UpdateCandidate(ctx, &c) == nil {
					n++
				}
			}
		}(uint64(round))
		time.Sleep(time.Duration(200+r.IntN(600)) * time.Millisecond)
		srv.kill9(t)
		close(stop)
		if n := <-wrote; n == 0 {
			t.Fatalf("round %d wrote nothing", round)
		}
		srv = startServer(t, url, dataDir)
	}
	// Wait until the index has caught up, then stop the server and read
	// the index directly.
	want := searchableIDs(t, db)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + srv.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		srv.stop(t)
		ix, err := index.Open(filepath.Join(dataDir, "index"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.IDs()
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index holds %d candidates, PostgreSQL has %d searchable", len(got), len(want))
		}
		srv = startServer(t, url, dataDir)
		time.Sleep(500 * time.Millisecond)
	}
}

func TestReindexOfflineAndThroughARunningServer(t *testing.T) {
	ctx := context.Background()
	url := storetest.MustURL(t)
	e := env(map[string]string{"DATABASE_URL": url})
	if code, _, stderr := run(t, e, "seed", "--candidates", "300", "--as-of", "2026-11-25"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := searchableIDs(t, db)
	dataDir := t.TempDir()

	// No server: the command rebuilds the index itself.
	code, out, stderr := run(t, e, "reindex", "--data-dir", dataDir)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("index rebuilt: %d searchable CVs", len(want))) || !strings.Contains(out, "CVs/s") {
		t.Fatalf("offline reindex: exit %d, %q %q", code, out, stderr)
	}

	// A server holds the index: the command asks it, and it keeps answering.
	srv := startServer(t, url, dataDir)
	defer srv.stop(t)
	stopProbe := make(chan struct{})
	failures := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stopProbe:
				failures <- n
				return
			default:
			}
			resp, err := http.Get("http://" + srv.addr + "/readyz")
			if err != nil || resp.StatusCode != http.StatusOK {
				n++
			}
			if resp != nil {
				resp.Body.Close()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	code, out, stderr = run(t, e, "reindex", "--data-dir", dataDir)
	close(stopProbe)
	if code != 0 || !strings.Contains(stderr, "asking the running server") || !strings.Contains(out, fmt.Sprintf("index rebuilt: %d searchable CVs", len(want))) {
		t.Fatalf("reindex through the server: exit %d, %q %q", code, out, stderr)
	}
	if n := <-failures; n != 0 {
		t.Errorf("the server failed %d readiness probes during the rebuild", n)
	}
}
