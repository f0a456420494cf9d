// Package index keeps the full-text and faceted bleve index of candidate CVs
// on disk. The index is derived data: it can always be rebuilt from
// PostgreSQL. It returns IDs, scores and facet counts, never bleve types.
package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it" // registers the Italian analyzer
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion is the version of the document mapping. An index built with
// another version is rebuilt from the database.
const MappingVersion = 1

// Internal keys stored inside the index.
var keyMappingVersion = []byte("incontro:mapping_version")

// Index is an open bleve index of candidate CVs.
type Index struct {
	b    bleve.Index
	path string
	// Rebuilt is true when Open created the index anew (missing, or built
	// with another mapping version) and it must be filled from the database.
	Rebuilt bool
}

// newMapping returns the static mapping: the default mapping is disabled,
// so only declared fields of declared document types are indexed.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.DefaultAnalyzer = "it"
	im.TypeField = "type"

	text := bleve.NewTextFieldMapping()
	text.Analyzer = "it"
	text.Store = false
	text.IncludeTermVectors = false

	keyword := bleve.NewKeywordFieldMapping()
	keyword.Store = false

	cand := bleve.NewDocumentStaticMapping()
	cand.AddFieldMappingsAt("headline", text)
	cand.AddFieldMappingsAt("summary", text)
	cand.AddFieldMappingsAt("municipality", keyword)
	im.AddDocumentMapping("candidate", cand)
	return im
}

// Open opens the index in dir, creating it when missing and recreating it
// when it was built with another mapping version.
func Open(dir string) (*Index, error) {
	path := filepath.Join(dir, "candidates.bleve")
	b, err := bleve.Open(path)
	switch {
	case err == nil:
		v, err := b.GetInternal(keyMappingVersion)
		if err == nil && string(v) == strconv.Itoa(MappingVersion) {
			return &Index{b: b, path: path}, nil
		}
		b.Close()
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("index: remove outdated index: %w", err)
		}
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
	default:
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	b, err = bleve.New(path, newMapping())
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", path, err)
	}
	if err := b.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion))); err != nil {
		b.Close()
		return nil, fmt.Errorf("index: record mapping version: %w", err)
	}
	return &Index{b: b, path: path, Rebuilt: true}, nil
}

// Path returns the directory of the index on disk.
func (ix *Index) Path() string { return ix.path }

// Ready returns an error unless the index answers.
func (ix *Index) Ready() error {
	if _, err := ix.b.DocCount(); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// DocCount returns the number of documents in the index.
func (ix *Index) DocCount() (uint64, error) { return ix.b.DocCount() }

// Close closes the index.
func (ix *Index) Close() error { return ix.b.Close() }
