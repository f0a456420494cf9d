package bench

import (
	"fmt"
	"runtime/metrics"
)

// GCFigures are the garbage collector's work over a phase of the run, from
// the Go runtime's own metrics: what the collector costs the queries at
// the size measured.
type GCFigures struct {
	// Cycles is how many collections completed during the phase.
	Cycles uint64 `json:"cycles"`
	// CPUShare is the collector's share (0..1) of the CPU the process's
	// Go code and runtime used during the phase: the runtime's estimate,
	// comparable with its other CPU classes only.
	CPUShare float64 `json:"cpu_share"`
	// HeapLiveBytes is the heap the last collection of the phase found
	// live: what the process keeps between requests.
	HeapLiveBytes int64 `json:"heap_live_bytes"`
}

// String is the figures as a report cell.
func (g GCFigures) String() string {
	return fmt.Sprintf("%d cycles, %.1f%% of the CPU, live heap %s", g.Cycles, 100*g.CPUShare, formatBytes(g.HeapLiveBytes))
}

// gcMark is a reading of the runtime's counters at the start of a phase.
type gcMark struct {
	cycles          uint64
	gc, idle, total float64
	heapLive        int64
	// ok is false when the runtime does not publish one of the counters.
	ok bool
}

// gcMetrics are the counters a gcMark reads, in its fields' order.
var gcMetrics = []string{
	"/gc/cycles/total:gc-cycles",
	"/gc/heap/live:bytes",
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/idle:cpu-seconds",
	"/cpu/classes/total:cpu-seconds",
}

// readGC reads the counters now.
func readGC() gcMark {
	s := make([]metrics.Sample, len(gcMetrics))
	for i, n := range gcMetrics {
		s[i].Name = n
	}
	metrics.Read(s)
	for i, x := range s {
		want := metrics.KindFloat64
		if i < 2 {
			want = metrics.KindUint64
		}
		if x.Value.Kind() != want {
			return gcMark{}
		}
	}
	return gcMark{ok: true, cycles: s[0].Value.Uint64(), heapLive: int64(s[1].Value.Uint64()),
		gc: s[2].Value.Float64(), idle: s[3].Value.Float64(), total: s[4].Value.Float64()}
}

// since returns the figures of the phase from the mark to now.
func (m gcMark) since() GCFigures {
	now := readGC()
	g := GCFigures{HeapLiveBytes: now.heapLive}
	if !m.ok || !now.ok {
		return g
	}
	g.Cycles = now.cycles - m.cycles
	if busy := (now.total - now.idle) - (m.total - m.idle); busy > 0 {
		g.CPUShare = min(1, max(0, (now.gc-m.gc)/busy))
	}
	return g
}

// gcSettings reads the collector's target (negative: GOGC=off) and soft
// memory limit (math.MaxInt64: none).
func gcSettings() (percent int, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0, 0
	}
	return int(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}
