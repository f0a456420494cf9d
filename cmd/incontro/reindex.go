package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// controlSocket is the unix socket on which a running server takes
// maintenance commands from this machine: only who can write in the data
// directory can reach it (mode 0600), so it needs no account.
func controlSocket(dataDir string) string {
	return filepath.Join(dataDir, "control.sock")
}

// serveControl listens on the control socket until ctx ends. POST /reindex
// rebuilds the index while the server keeps answering, streaming progress
// as lines "total N", "done N" and, at the end, "ok N SECONDS" or "error …".
func (m *Main) serveControl(ctx context.Context) error {
	path := controlSocket(m.Config.DataDir)
	if len(path) > 100 {
		m.Logger.Warn("control socket path too long: incontro reindex will not reach this server", "path", path)
		return nil
	}
	_ = os.Remove(path) // a leftover of a crash; a live server holds the index lock, so none runs here
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	mux := http.NewServeMux()
	var busy sync.Mutex
	mux.HandleFunc("POST /reindex", func(w http.ResponseWriter, r *http.Request) {
		if !busy.TryLock() {
			http.Error(w, "a rebuild is already running", http.StatusConflict)
			return
		}
		defer busy.Unlock()
		flusher, _ := w.(http.Flusher)
		line := func(format string, args ...any) {
			fmt.Fprintf(w, format+"\n", args...)
			if flusher != nil {
				flusher.Flush()
			}
		}
		total, err := m.DB.Counts(r.Context())
		if err != nil {
			line("error %v", err)
			return
		}
		line("total %d", total.Candidates)
		n, took, err := m.rebuildIndex(r.Context(), func(done int) { line("done %d", done) })
		if err != nil {
			line("error %v", err)
			return
		}
		line("ok %d %.3f", n, took.Seconds())
	})
	srv := &http.Server{Handler: mux, ErrorLog: slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn)}
	go func() {
		<-ctx.Done()
		srv.Close()
		os.Remove(path)
	}()
	go func() { _ = srv.Serve(ln) }()
	return nil
}

func newReindexCommand(cfg *Config, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the CV index from PostgreSQL",
		Long: `reindex builds the CV index anew from PostgreSQL in a fresh directory and swaps it in
atomically. When a server is running on the same data directory it asks that server (through
its control socket) to do it, and the server keeps answering searches meanwhile; otherwise it
rebuilds the index itself. It shows a progress bar and prints the rate at the end.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if done, err := reindexThroughServer(ctx, cfg.DataDir, stdout, stderr); done || err != nil {
				return err
			}
			m, err := openMain(ctx, *cfg, stderr, true)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.OpenIndex(); err != nil {
				return err
			}
			counts, err := m.DB.Counts(ctx)
			if err != nil {
				return err
			}
			bar := newBar(stderr, counts.Candidates)
			n, took, err := m.rebuildIndex(ctx, func(done int) { _ = bar.Set(done) })
			if err != nil {
				return err
			}
			_ = bar.Finish()
			report(stdout, n, took.Seconds())
			return m.Close()
		},
	}
}

func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("indice"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("cv"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
}

func report(w io.Writer, docs uint64, seconds float64) {
	rate := 0.0
	if seconds > 0 {
		rate = float64(docs) / seconds
	}
	fmt.Fprintf(w, "index rebuilt: %d searchable CVs in %.1fs (%.0f CVs/s)\n", docs, seconds, rate)
}

// reindexThroughServer asks a running server to rebuild its index. It
// reports false with no error when no server answers on the control socket.
func reindexThroughServer(ctx context.Context, dataDir string, stdout, stderr io.Writer) (bool, error) {
	path := controlSocket(dataDir)
	if _, err := os.Stat(path); err != nil {
		return false, nil
	}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://incontro/reindex", nil)
	resp, err := client.Do(req)
	if err != nil {
		var ne *net.OpError
		if errors.As(err, &ne) {
			return false, nil // a stale socket: no server behind it
		}
		return true, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return true, fmt.Errorf("the running server refused: %s", strings.TrimSpace(string(b)))
	}
	fmt.Fprintln(stderr, "asking the running server to rebuild its index")
	var bar *progressbar.ProgressBar
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "total":
			n, _ := strconv.Atoi(fields[1])
			bar = newBar(stderr, n)
		case "done":
			if n, err := strconv.Atoi(fields[1]); err == nil && bar != nil {
				_ = bar.Set(n)
			}
		case "ok":
			if bar != nil {
				_ = bar.Finish()
			}
			docs, _ := strconv.ParseUint(fields[1], 10, 64)
			secs, _ := strconv.ParseFloat(fields[2], 64)
			report(stdout, docs, secs)
			return true, nil
		case "error":
			return true, fmt.Errorf("the server's rebuild failed: %s", strings.Join(fields[1:], " "))
		}
	}
	if err := sc.Err(); err != nil {
		return true, err
	}
	return true, fmt.Errorf("the server closed the connection before the rebuild finished")
}
