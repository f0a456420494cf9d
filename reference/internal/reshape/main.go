// Command reshape converts the public reference sources into the compact CSV
// files embedded by package reference (reference/data).
//
// It is run by hand only, when the sources change:
//
//	go run ./reference/internal/reshape \
//		-comuni /path/to/comuni-centroids-2023.csv \
//		-isco /path/to/isco08-groups-it.csv \
//		-ateco /path/to/ateco2007.csv \
//		-out reference/data
//
// The package itself never reads the sources: it reads only the embedded files.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	comuni := flag.String("comuni", "", "path of comuni-centroids-2023.csv (openpolis, ISTAT)")
	isco := flag.String("isco", "", "path of isco08-groups-it.csv (ESCO)")
	ateco := flag.String("ateco", "", "path of ateco2007.csv (ISTAT)")
	out := flag.String("out", "reference/data", "output directory")
	flag.Parse()
	if *comuni == "" || *isco == "" || *ateco == "" {
		flag.Usage()
		os.Exit(2)
	}
	steps := []struct {
		in, out string
		fn      func(r io.Reader, w *csv.Writer) (int, error)
	}{
		{*comuni, "comuni.csv", reshapeComuni},
		{*isco, "isco08.csv", reshapeISCO},
		{*ateco, "ateco2007.csv", reshapeATECO},
	}
	for _, s := range steps {
		n, err := convert(s.in, filepath.Join(*out, s.out), s.fn)
		if err != nil {
			fmt.Fprintf(os.Stderr, "reshape %s: %v\n", s.in, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d rows\n", filepath.Join(*out, s.out), n)
	}
}

// convert runs fn from the file at in to a new CSV file at out.
func convert(in, out string, fn func(io.Reader, *csv.Writer) (int, error)) (n int, err error) {
	src, err := os.Open(in)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	dst, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(dst)
	if n, err = fn(src, w); err != nil {
		return n, err
	}
	w.Flush()
	return n, w.Error()
}

// readAll reads a CSV file with a header and returns its rows as maps keyed by
// column name, checking that the wanted columns are present.
func readAll(r io.Reader, want ...string) ([]map[string]string, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	for i := range header {
		header[i] = strings.TrimPrefix(strings.TrimSpace(header[i]), "\ufeff")
	}
	for _, c := range want {
		found := false
		for _, h := range header {
			found = found || h == c
		}
		if !found {
			return nil, fmt.Errorf("missing column %q", c)
		}
	}
	var rows []map[string]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, m)
	}
}

// cp1252 maps the bytes 0x80–0x9F of Windows-1252 to their characters; the
// source has a few names whose Š/ž were decoded as C1 control characters.
var cp1252 = map[rune]rune{
	0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡',
	0x88: 'ˆ', 0x89: '‰', 0x8A: 'Š', 0x8B: '‹', 0x8C: 'Œ', 0x8E: 'Ž',
	0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
	0x98: '˜', 0x99: '™', 0x9A: 'š', 0x9B: '›', 0x9C: 'œ', 0x9E: 'ž', 0x9F: 'Ÿ',
}

// repairText replaces C1 control characters with their Windows-1252 meaning
// and fails on invalid UTF-8.
func repairText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("invalid UTF-8 in %q", s)
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x80 && r <= 0x9F {
			if c, ok := cp1252[r]; ok {
				return c
			}
		}
		return r
	}, s), nil
}

// reshapeComuni keeps code, name, province acronym and name, region, lat, lon.
func reshapeComuni(r io.Reader, w *csv.Writer) (int, error) {
	rows, err := readAll(r, "istat_code", "name", "prov_acr", "prov_name", "reg_name", "lat", "lon")
	if err != nil {
		return 0, err
	}
	if err := w.Write([]string{"codice_istat", "nome", "sigla_provincia", "provincia", "regione", "lat", "lon"}); err != nil {
		return 0, err
	}
	seen := make(map[string]bool, len(rows))
	for _, m := range rows {
		code := m["istat_code"]
		if len(code) != 6 || seen[code] {
			return 0, fmt.Errorf("bad or duplicate istat code %q", code)
		}
		seen[code] = true
		for _, c := range []string{"lat", "lon"} {
			if _, err := strconv.ParseFloat(m[c], 64); err != nil {
				return 0, fmt.Errorf("%s: bad %s %q", code, c, m[c])
			}
		}
		rec := []string{code, m["name"], m["prov_acr"], m["prov_name"], m["reg_name"], m["lat"], m["lon"]}
		for i := range rec {
			if rec[i], err = repairText(rec[i]); err != nil {
				return 0, err
			}
		}
		if err := w.Write(rec); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// reshapeISCO keeps code, level (the code length) and Italian label.
func reshapeISCO(r io.Reader, w *csv.Writer) (int, error) {
	rows, err := readAll(r, "code", "preferredLabel")
	if err != nil {
		return 0, err
	}
	if err := w.Write([]string{"codice", "livello", "etichetta"}); err != nil {
		return 0, err
	}
	for _, m := range rows {
		code := m["code"]
		if len(code) < 1 || len(code) > 4 || strings.Trim(code, "0123456789") != "" {
			return 0, fmt.Errorf("bad ISCO code %q", code)
		}
		label := strings.Join(strings.Fields(m["preferredLabel"]), " ")
		if err := w.Write([]string{code, strconv.Itoa(len(code)), label}); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// section is an ATECO 2007 section: letter, title and division range.
type section struct {
	letter, title string
	first, last   int
}

// sections lists the 21 ATECO 2007 sections with their official Italian titles
// and the divisions they contain.
var sections = []section{
	{"A", "AGRICOLTURA, SILVICOLTURA E PESCA", 1, 3},
	{"B", "ESTRAZIONE DI MINERALI DA CAVE E MINIERE", 5, 9},
	{"C", "ATTIVITÀ MANIFATTURIERE", 10, 33},
	{"D", "FORNITURA DI ENERGIA ELETTRICA, GAS, VAPORE E ARIA CONDIZIONATA", 35, 35},
	{"E", "FORNITURA DI ACQUA; RETI FOGNARIE, ATTIVITÀ DI GESTIONE DEI RIFIUTI E RISANAMENTO", 36, 39},
	{"F", "COSTRUZIONI", 41, 43},
	{"G", "COMMERCIO ALL'INGROSSO E AL DETTAGLIO; RIPARAZIONE DI AUTOVEICOLI E MOTOCICLI", 45, 47},
	{"H", "TRASPORTO E MAGAZZINAGGIO", 49, 53},
	{"I", "ATTIVITÀ DEI SERVIZI DI ALLOGGIO E DI RISTORAZIONE", 55, 56},
	{"J", "SERVIZI DI INFORMAZIONE E COMUNICAZIONE", 58, 63},
	{"K", "ATTIVITÀ FINANZIARIE E ASSICURATIVE", 64, 66},
	{"L", "ATTIVITÀ IMMOBILIARI", 68, 68},
	{"M", "ATTIVITÀ PROFESSIONALI, SCIENTIFICHE E TECNICHE", 69, 75},
	{"N", "NOLEGGIO, AGENZIE DI VIAGGIO, SERVIZI DI SUPPORTO ALLE IMPRESE", 77, 82},
	{"O", "AMMINISTRAZIONE PUBBLICA E DIFESA; ASSICURAZIONE SOCIALE OBBLIGATORIA", 84, 84},
	{"P", "ISTRUZIONE", 85, 85},
	{"Q", "SANITÀ E ASSISTENZA SOCIALE", 86, 88},
	{"R", "ATTIVITÀ ARTISTICHE, SPORTIVE, DI INTRATTENIMENTO E DIVERTIMENTO", 90, 93},
	{"S", "ALTRE ATTIVITÀ DI SERVIZI", 94, 96},
	{"T", "ATTIVITÀ DI FAMIGLIE E CONVIVENZE COME DATORI DI LAVORO PER PERSONALE DOMESTICO; PRODUZIONE DI BENI E SERVIZI INDIFFERENZIATI PER USO PROPRIO DA PARTE DI FAMIGLIE E CONVIVENZE", 97, 98},
	{"U", "ORGANIZZAZIONI ED ORGANISMI EXTRATERRITORIALI", 99, 99},
}

// sectionOf returns the section of a two-digit division.
func sectionOf(division string) (section, bool) {
	d, err := strconv.Atoi(division)
	if err != nil {
		return section{}, false
	}
	for _, s := range sections {
		if d >= s.first && d <= s.last {
			return s, true
		}
	}
	return section{}, false
}

// atecoLevel derives the level name from the shape of a dotted code.
func atecoLevel(code string) (string, bool) {
	valid := func(digits ...int) bool {
		parts := strings.Split(code, ".")
		if len(parts) != len(digits) {
			return false
		}
		for i, p := range parts {
			if len(p) != digits[i] || strings.Trim(p, "0123456789") != "" {
				return false
			}
		}
		return true
	}
	switch {
	case len(code) == 1 && code[0] >= 'A' && code[0] <= 'U':
		return "sezione", true
	case valid(2):
		return "divisione", true
	case valid(2, 1):
		return "gruppo", true
	case valid(2, 2):
		return "classe", true
	case valid(2, 2, 1):
		return "categoria", true
	case valid(2, 2, 2):
		return "sottocategoria", true
	}
	return "", false
}

// reshapeATECO trims codes, derives levels from the code shape (the source has
// "?" for two of them and "classe" for group 88.1), adds the section rows A–U before their first division
// and fills the section column of every code.
func reshapeATECO(r io.Reader, w *csv.Writer) (int, error) {
	rows, err := readAll(r, "codice", "livello", "descrizione")
	if err != nil {
		return 0, err
	}
	if err := w.Write([]string{"codice", "livello", "sezione", "descrizione"}); err != nil {
		return 0, err
	}
	n := 0
	current := ""
	seen := make(map[string]bool, len(rows))
	for _, m := range rows {
		code := m["codice"]
		level, ok := atecoLevel(code)
		if !ok {
			return n, fmt.Errorf("bad ATECO code %q", code)
		}
		if m["livello"] != level {
			fmt.Fprintf(os.Stderr, "note: ATECO %s: source level %q, code shape says %q (kept)\n", code, m["livello"], level)
		}
		desc := strings.Join(strings.Fields(m["descrizione"]), " ")
		if level == "sezione" {
			// Emitted from the table above; check that the titles agree.
			for _, s := range sections {
				if s.letter == code && s.title != desc {
					return n, fmt.Errorf("section %s: title %q, table says %q", code, desc, s.title)
				}
			}
			continue
		}
		sec, ok := sectionOf(code[:2])
		if !ok {
			return n, fmt.Errorf("%s: no section for division %s", code, code[:2])
		}
		if sec.letter != current {
			if err := w.Write([]string{sec.letter, "sezione", sec.letter, sec.title}); err != nil {
				return n, err
			}
			current = sec.letter
			n++
		}
		if seen[code] {
			return n, fmt.Errorf("duplicate ATECO code %q", code)
		}
		seen[code] = true
		if err := w.Write([]string{code, level, sec.letter, desc}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
