package bench

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

var gcSink [][]byte

func TestGCFiguresCountThePhase(t *testing.T) {
	mark := readGC()
	if !mark.ok {
		t.Fatal("the runtime publishes no GC cycle count")
	}
	// Keep some memory live across two collections, and make garbage.
	gcSink = nil
	for range 64 {
		gcSink = append(gcSink, make([]byte, 64<<10))
	}
	for range 1000 {
		_ = make([]byte, 4<<10)
	}
	runtime.GC()
	runtime.GC()
	g := mark.since()
	if g.Cycles < 2 {
		t.Errorf("%d cycles after two forced collections", g.Cycles)
	}
	if g.HeapLiveBytes < 64*64<<10 {
		t.Errorf("live heap %d bytes while 4 MiB are held", g.HeapLiveBytes)
	}
	if g.CPUShare <= 0 || g.CPUShare > 1 {
		t.Errorf("the collector's CPU share %.3f after two forced collections", g.CPUShare)
	}
	runtime.KeepAlive(gcSink)
	gcSink = nil
}

func TestTableSaysWhatTheCollectorDid(t *testing.T) {
	r := sampleReport()
	r.Run.GCPercent, r.Run.MemoryLimitBytes = 400, 512<<20
	r.ServingGC = GCFigures{Cycles: 12, CPUShare: 0.083, HeapLiveBytes: 180 << 20}
	r.HTTP.GC = GCFigures{Cycles: 40, CPUShare: 0.15, HeapLiveBytes: 200 << 20}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	want := "garbage collector (target 400%, soft memory limit 512.0 MiB): in the query classes 12 cycles, 8.3% of the CPU, " +
		"live heap 180.0 MiB; under HTTP load 40 cycles, 15.0% of the CPU, live heap 200.0 MiB"
	if !strings.Contains(b.String(), want) {
		t.Errorf("the table lacks %q:\n%s", want, b.String())
	}
}
