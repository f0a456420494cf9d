// Package index keeps the full-text and faceted bleve index of candidate CVs
// on disk. The index is derived data: it can always be rebuilt from
// PostgreSQL. It returns IDs, scores and facet counts, never bleve types.
//
// On disk, a directory holds:
//
//	candidates.bleve            the live index
//	candidates.bleve.new-<t>    an index being built (or, after a Swap, the live one until the next Open)
//	candidates.bleve.old-<t>    an index being removed
//	candidates.lock             held by the process that has the directory open
//
// Every change of the live name is a rename of a closed directory, so the
// live index is never half-written: creation and rebuilding happen under a
// .new- name, removal under an .old- name, and Open tidies up whatever a
// crash left behind (see Open).
package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Names in the index directory.
const (
	liveName = "candidates.bleve"
	newInfix = ".new-"
	oldInfix = ".old-"
	lockName = "candidates.lock"
)

// Internal keys stored inside the index.
var (
	keyMappingVersion = []byte("incontro:mapping_version")
	keyPosition       = []byte("incontro:position")
)

// Index is an open bleve index of candidate CVs. Searches, Apply and Swap
// may run concurrently.
type Index struct {
	// Rebuilt is true when Open created the index anew (missing, or built
	// with another mapping version) or found one that never recorded a
	// position: it must be filled from the database (Rebuild, then Swap).
	Rebuilt bool

	dir string
	// alias is what every search and write goes through: Swap replaces the
	// index behind it, and a search in flight holds the alias's read lock,
	// so the replaced index is closed only when no search uses it.
	alias bleve.IndexAlias
	gen   atomic.Uint64
	// results caches search results per generation (see search.go);
	// computed counts the results computed, not taken from it.
	results  *resultCache
	computed atomic.Uint64
	// browseCache keeps what the browse page needs of each segment.
	browseCache browseCache
	// ids keeps each segment's candidate ids by document number.
	ids idColumns
	// facetCols keeps each segment's facet values by document number.
	facetCols facetColumns

	mu sync.Mutex // serialises Apply, Swap and Close; guards the fields below
	// curMu guards cur for readers that use it without the alias (see
	// snapshot): Swap and Close take it to replace or close cur.
	curMu  sync.RWMutex
	cur    bleve.Index
	path   string
	lock   *os.File // nil for an index returned by Rebuild
	closed bool
}

// Open opens the index in dir/candidates.bleve, creating it when missing and
// recreating it (Rebuilt true, empty) when it was built with another mapping
// version. Only one Index may have dir open at a time, across processes.
//
// Crash safety: when candidates.bleve exists, every .new- and .old- sibling
// is a leftover (an interrupted rebuild, or an index being removed) and is
// deleted. When it is missing, the process died after a Swap had moved the
// old live index away, or during Swap: the newest complete .new- index
// (it carries the mapping version, written by the last batch of Rebuild)
// becomes candidates.bleve.
func Open(dir string) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	ix, err := open(dir)
	if err != nil {
		lock.Close()
		return nil, err
	}
	ix.lock = lock
	return ix, nil
}

func open(dir string) (*Index, error) {
	if err := tidy(dir); err != nil {
		return nil, err
	}
	live := filepath.Join(dir, liveName)
	b, err := bleve.Open(live)
	switch {
	case err == nil:
		if v, err := b.GetInternal(keyMappingVersion); err == nil && string(v) == strconv.Itoa(MappingVersion) {
			// An index that never applied anything (created, then the
			// process died before filling it) must be filled too.
			p, err := b.GetInternal(keyPosition)
			return newIndex(dir, live, b, err != nil || len(p) == 0), nil
		}
		if err := b.Close(); err != nil {
			return nil, fmt.Errorf("index: close outdated index: %w", err)
		}
		if err := retire(dir, live); err != nil {
			return nil, err
		}
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
	default:
		return nil, fmt.Errorf("index: open %s: %w", live, err)
	}

	// Create under a .new- name and rename, so that a crash never leaves a
	// half-created live index.
	tmp := newPath(dir)
	b, err = bleve.New(tmp, newMapping())
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("index: create %s: %w", tmp, err)
	}
	err = b.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion)))
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, live)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("index: create %s: %w", live, err)
	}
	b, err = bleve.Open(live)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", live, err)
	}
	return newIndex(dir, live, b, true), nil
}

func newIndex(dir, path string, b bleve.Index, rebuilt bool) *Index {
	ix := &Index{Rebuilt: rebuilt, dir: filepath.Clean(dir), alias: bleve.NewIndexAlias(b), cur: b, path: path,
		results: newResultCache()}
	ix.gen.Store(1)
	return ix
}

// tidy removes what a crash left in dir, promoting a complete rebuilt index
// when the live one is missing (see Open).
func tidy(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	var fresh, stale []string
	live := false
	for _, e := range entries {
		switch name := e.Name(); {
		case name == liveName:
			live = true
		case strings.HasPrefix(name, liveName+newInfix):
			fresh = append(fresh, name)
		case strings.HasPrefix(name, liveName+oldInfix):
			stale = append(stale, name)
		}
	}
	if !live {
		// Newest first: the stamps sort as times.
		slices.Sort(fresh)
		slices.Reverse(fresh)
		for i, name := range fresh {
			if complete(filepath.Join(dir, name)) {
				if err := os.Rename(filepath.Join(dir, name), filepath.Join(dir, liveName)); err != nil {
					return fmt.Errorf("index: promote %s: %w", name, err)
				}
				fresh = slices.Delete(fresh, i, i+1)
				break
			}
		}
	}
	for _, name := range append(fresh, stale...) {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("index: remove leftover %s: %w", name, err)
		}
	}
	return nil
}

// complete reports whether the index at path opens and carries the current
// mapping version, which Rebuild writes in its last batch.
func complete(path string) bool {
	b, err := bleve.Open(path)
	if err != nil {
		return false
	}
	defer b.Close()
	v, err := b.GetInternal(keyMappingVersion)
	return err == nil && string(v) == strconv.Itoa(MappingVersion)
}

// retire moves a closed index out of the live name, then removes it: a crash
// in between leaves an .old- directory that the next Open deletes.
func retire(dir, path string) error {
	old := filepath.Join(dir, liveName+oldInfix+stamp())
	if err := os.Rename(path, old); err != nil {
		return fmt.Errorf("index: retire %s: %w", path, err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("index: remove %s: %w", old, err)
	}
	return nil
}

// newPath returns a fresh .new- path in dir.
func newPath(dir string) string {
	return filepath.Join(dir, liveName+newInfix+stamp())
}

// stamp is a name suffix that sorts as time.
func stamp() string {
	return time.Now().UTC().Format("20060102T150405.000000000")
}

// lockDir takes an exclusive lock on dir, so that a second process (or a
// second Open) gets an error instead of tidying away a live index or
// waiting forever on bleve's own file lock.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("index: %s is in use by another process or Open", dir)
		}
		return nil, fmt.Errorf("index: lock %s: %w", path, err)
	}
	return f, nil
}

// bleveIndex returns the index that searches go through. It stays the same
// object across Swap; it is for this package only.
func (ix *Index) bleveIndex() bleve.Index { return ix.alias }

// Path returns the directory of the live index on disk.
func (ix *Index) Path() string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.path
}

// Generation returns a number that changes whenever the indexed data may have
// changed (every Apply and Swap), to key caches of search results.
func (ix *Index) Generation() uint64 { return ix.gen.Load() }

// Ready returns an error unless the index answers.
func (ix *Index) Ready() error {
	if _, err := ix.alias.DocCount(); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// DocCount returns the number of documents in the index.
func (ix *Index) DocCount() (uint64, error) {
	n, err := ix.alias.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: %w", err)
	}
	return n, nil
}

// Position returns the last outbox position applied to the index, zero for a
// new index.
func (ix *Index) Position() (Position, error) {
	v, err := ix.alias.GetInternal(keyPosition)
	if err != nil {
		return Position{}, fmt.Errorf("index: read position: %w", err)
	}
	return parsePosition(v)
}

func encodePosition(p Position) []byte { return []byte(p.String()) }

func parsePosition(v []byte) (Position, error) {
	if len(v) == 0 {
		return Position{}, nil
	}
	tx, id, ok := strings.Cut(string(v), "/")
	var p Position
	var err1, err2 error
	p.TxID, err1 = strconv.ParseUint(tx, 10, 64)
	p.ID, err2 = strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return Position{}, fmt.Errorf("index: stored position %q is malformed", v)
	}
	return p, nil
}

// Close closes the index and releases the directory. Closing twice is harmless.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	ix.alias.Close()
	ix.curMu.Lock()
	cur := ix.cur
	ix.cur = nil
	ix.curMu.Unlock()
	err := cur.Close()
	if ix.lock != nil {
		if cerr := ix.lock.Close(); err == nil {
			err = cerr
		}
		ix.lock = nil
	}
	if err != nil {
		return fmt.Errorf("index: close: %w", err)
	}
	return nil
}
