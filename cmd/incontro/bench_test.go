package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchHasHelp(t *testing.T) {
	code, stdout, _ := run(t, env(nil), "bench", "--help")
	if code != 0 || !strings.Contains(stdout, "incontro bench") {
		t.Fatalf("bench --help: exit %d, output %q", code, stdout)
	}
	for _, flag := range []string{"--candidates", "--queries", "--seed", "--json", "--dir", "--keep", "--no-pg", "--pg-budget", "--http", "--http-duration", "--cpuprofile"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("bench --help does not mention %s", flag)
		}
	}
}

func TestBenchRefusesBadFlagsNamingThem(t *testing.T) {
	foreign := t.TempDir()
	keepMe := filepath.Join(foreign, "precious.txt")
	if err := os.WriteFile(keepMe, []byte("not the bench's"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a number that is not one", []string{"--candidates", "ten"}, "--candidates"},
		{"too few candidates", []string{"--candidates", "5"}, "--candidates"},
		{"too many candidates", []string{"--candidates", "3000000"}, "--candidates"},
		{"no queries", []string{"--queries", "0"}, "--queries"},
		{"a negative budget", []string{"--pg-budget", "-1s"}, "--pg-budget"},
		{"a budget that is not a duration", []string{"--pg-budget", "soon"}, "--pg-budget"},
		{"an empty HTTP step", []string{"--http-duration", "0s"}, "--http-duration"},
		{"a JSON file in no directory", []string{"--json", filepath.Join(foreign, "missing", "bench.json")}, "--json"},
		{"a profile in no directory", []string{"--candidates", "100", "--cpuprofile", filepath.Join(foreign, "missing", "cpu.prof")}, "--cpuprofile"},
		{"a directory that is not the bench's", []string{"--dir", foreign, "--candidates", "100"}, "--dir"},
		{"an unknown flag", []string{"--fast"}, "--fast"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, env(map[string]string{"INCONTRO_DATA_DIR": t.TempDir()}), append([]string{"bench"}, tt.args...)...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want a failure naming %s", code, stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("a refused bench printed %q", stdout)
			}
		})
	}
	if _, err := os.Stat(keepMe); err != nil {
		t.Errorf("a refused bench touched a directory it does not own: %v", err)
	}
}
