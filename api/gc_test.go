package api_test

import (
	"runtime/debug"
	"testing"

	"incontro/api"
)

// gcNow reads the collector's target and memory limit without changing
// them.
func gcNow() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestTuneGCSetsTheServingTargetAndLimitAndRestoresThem(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(2 << 30))

	percent, limit, restore := api.TuneGC()
	if percent != api.ServingGCPercent || limit != api.ServingMemoryLimit {
		t.Errorf("TuneGC says %d%% and %d bytes, want %d%% and %d", percent, limit, api.ServingGCPercent, api.ServingMemoryLimit)
	}
	if p, l := gcNow(); p != api.ServingGCPercent || l != api.ServingMemoryLimit {
		t.Errorf("after TuneGC the runtime has %d%% and %d bytes, want %d%% and %d", p, l, api.ServingGCPercent, api.ServingMemoryLimit)
	}
	restore()
	if p, l := gcNow(); p != 150 || l != 2<<30 {
		t.Errorf("after restore the runtime has %d%% and %d bytes, want 150%% and %d", p, l, 2<<30)
	}
}

func TestTuneGCLeavesWhatTheEnvironmentSet(t *testing.T) {
	// The runtime read GOGC and GOMEMLIMIT when the process started; here
	// the test sets the values as if it had.
	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "3GiB")
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(3 << 30))

	percent, limit, restore := api.TuneGC()
	defer restore()
	if percent != 50 || limit != 3<<30 {
		t.Errorf("TuneGC says %d%% and %d bytes, want GOGC's 50%% and GOMEMLIMIT's %d", percent, limit, 3<<30)
	}
	if p, l := gcNow(); p != 50 || l != 3<<30 {
		t.Errorf("the runtime has %d%% and %d bytes, want 50%% and %d", p, l, 3<<30)
	}
}
