package api

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// The garbage collector while serving. A request allocates much and keeps
// little: a match run decodes some 500 profiles and encodes 150
// explanations, megabytes that are garbage once it has answered, while the
// heap the server keeps between requests is small (the index lives in
// mapped files, outside the heap). With Go's default target (GOGC=100) the
// collector ran every few requests and took a fifth of the CPU the match
// endpoint cost (36 against 28 ms a request at 100,000 CVs, measured with
// incontro bench --http); with a target of 400 it runs a fifth as often,
// and a soft limit on the heap keeps the memory it lets grow bounded.
const (
	// ServingGCPercent is the collector's target while serving.
	ServingGCPercent = 400
	// ServingMemoryLimit is the soft limit on the Go runtime's memory
	// while serving: the collector works harder as the heap nears it.
	// With the pages of the index's mapped files (the index is some
	// 400 MiB at a million CVs) the process stays within 1 GiB.
	ServingMemoryLimit = 512 << 20
)

// TuneGC sets the garbage collector for serving: ServingGCPercent and
// ServingMemoryLimit, each unless the GOGC or GOMEMLIMIT environment
// variable already set it (they are Go's own, and win). It returns the
// target and the limit now in force (a negative target is GOGC=off; a
// limit of math.MaxInt64 is none) and a function that restores what was
// set before.
func TuneGC() (percent int, limit int64, restore func()) {
	oldPercent, oldLimit := gcSettings()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(ServingGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(ServingMemoryLimit)
	}
	percent, limit = gcSettings()
	return percent, limit, func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}

// gcSettings reads the collector's target and memory limit.
func gcSettings() (percent int, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}
