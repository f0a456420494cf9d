package webtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindChromiumHonoursTheEnvironment(t *testing.T) {
	t.Setenv(EnvChromium, filepath.Join(t.TempDir(), "no-such-browser"))
	if _, err := FindChromium(); err == nil || !strings.Contains(err.Error(), EnvChromium) {
		t.Fatalf("a missing %s gave %v, want an error naming it", EnvChromium, err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvChromium, exe)
	if got, err := FindChromium(); err != nil || got != exe {
		t.Fatalf("FindChromium = %q, %v; want %q", got, err, exe)
	}
}

func TestArtefactsGoUnderTheConfiguredDirectory(t *testing.T) {
	root := t.TempDir()
	t.Setenv(EnvArtifacts, root)
	stale := filepath.Join(root, "browser", "TestArtefactsGoUnderTheConfiguredDirectory", "old.png")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := artefactDir(t)
	if dir != filepath.Dir(stale) {
		t.Fatalf("artefacts in %s, want %s", dir, filepath.Dir(stale))
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the artefacts of an earlier run were kept")
	}
}

func TestTheDefaultArtefactDirectoryIsInTheModule(t *testing.T) {
	root := moduleRoot()
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root %s has no go.mod", root)
	}
}
