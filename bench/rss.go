package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Memory figures come from /proc/self/status (Linux): VmRSS is the resident
// set now, VmHWM its peak. Writing "5" to /proc/self/clear_refs resets the
// peak to the current size, so that the peak of one phase can be read.

// procStatus returns a field of /proc/self/status in bytes.
func procStatus(field string) (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || string(name) != field {
			continue
		}
		f := bytes.Fields(rest) // "123456 kB"
		if len(f) == 0 {
			break
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/self/status %s: %w", field, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("/proc/self/status has no %s", field)
}

// CurrentRSS returns the resident set size of this process in bytes.
func CurrentRSS() (int64, error) { return procStatus("VmRSS") }

// PeakRSS returns the peak resident set size since the start of the process
// or the last ResetPeakRSS, in bytes.
func PeakRSS() (int64, error) { return procStatus("VmHWM") }

// ResetPeakRSS makes the peak resident set size start again from the
// current size.
func ResetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// releaseMemory returns the garbage of a finished phase to the system, so
// that the next phase's resident set is its own.
func releaseMemory() { debug.FreeOSMemory() }

// rssSampler samples VmRSS periodically and keeps the largest value: the
// fallback when the kernel's peak cannot be reset, and the measure of
// "while serving" (a phase, not the process's life).
type rssSampler struct {
	max  atomic.Int64
	stop chan struct{}
	wg   sync.WaitGroup
}

// sampleRSS starts sampling every interval until Stop.
func sampleRSS(every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{})}
	s.sample()
	s.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sample()
			}
		}
	})
	return s
}

func (s *rssSampler) sample() {
	if v, err := CurrentRSS(); err == nil && v > s.max.Load() {
		s.max.Store(v)
	}
}

// Stop stops sampling (taking one last sample) and returns the largest
// resident set seen, in bytes.
func (s *rssSampler) Stop() int64 {
	select {
	case <-s.stop:
	default:
		close(s.stop)
		s.wg.Wait()
		s.sample()
	}
	return s.max.Load()
}
