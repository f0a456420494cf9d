package index

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOpenCreatesThenReopensTheIndex(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Rebuilt {
		t.Error("a new index should be marked for rebuilding")
	}
	if err := ix.Ready(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "candidates.bleve")); err != nil {
		t.Fatalf("index is not a directory on disk: %v", err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Rebuilt {
		t.Error("reopening an index of the current mapping version should not rebuild it")
	}
}

func TestOpenRebuildsAnIndexOfAnotherMappingVersion(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.b.SetInternal(keyMappingVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Rebuilt {
		t.Error("an index built with another mapping version must be rebuilt")
	}
}
