package reference

import (
	"slices"
	"strings"
	"sync"
)

// ATECO levels, as found in ATECOCode.Level.
const (
	ATECOSezione        = "sezione"        // letter A–U
	ATECODivisione      = "divisione"      // NN
	ATECOGruppo         = "gruppo"         // NN.N
	ATECOClasse         = "classe"         // NN.NN
	ATECOCategoria      = "categoria"      // NN.NN.N
	ATECOSottocategoria = "sottocategoria" // NN.NN.NN
)

// ATECOCode is a code of the ATECO 2007 classification (2022 update).
type ATECOCode struct {
	Code        string // dotted code ("56.10.11") or section letter ("I")
	Level       string // one of the ATECO* level constants
	Description string // Italian description (upper case for sections, divisions and groups)
	Section     string // section letter A–U; equal to Code for sections
}

// atecoData is the parsed ATECO list and its indexes.
type atecoData struct {
	all      []ATECOCode
	byCode   map[string]int
	sections []int
}

var (
	atecoOnce sync.Once
	ateco     *atecoData
)

// loadATECO parses data/ateco2007.csv once.
func loadATECO() *atecoData {
	atecoOnce.Do(func() {
		rows := readEmbedded("ateco2007.csv", atecoCSV, "codice", "livello", "sezione", "descrizione")
		d := &atecoData{all: make([]ATECOCode, 0, len(rows)), byCode: make(map[string]int, len(rows))}
		for i, r := range rows {
			c := ATECOCode{Code: r[0], Level: r[1], Section: r[2], Description: r[3]}
			d.all = append(d.all, c)
			d.byCode[c.Code] = i
			if c.Level == ATECOSezione {
				d.sections = append(d.sections, i)
			}
		}
		ateco = d
	})
	return ateco
}

// normalizeATECO turns the accepted spellings of a code into the dotted form.
func normalizeATECO(code string) string {
	code = strings.ToUpper(strings.Join(strings.Fields(code), ""))
	if code == "" || strings.Trim(code, "0123456789") != "" {
		return code // dotted code, section letter or garbage: used as is
	}
	switch len(code) {
	case 3, 4:
		return code[:2] + "." + code[2:]
	case 5, 6:
		return code[:2] + "." + code[2:4] + "." + code[4:]
	}
	return code
}

// ATECOByCode returns an ATECO 2007 code. It accepts the dotted form
// ("56.10.11", "56.10", "56.1", "56"), the same digits without dots
// ("561011", "5610", "561") and section letters in either case ("I", "i");
// surrounding and inner spaces are ignored.
func ATECOByCode(code string) (ATECOCode, bool) {
	d := loadATECO()
	i, ok := d.byCode[normalizeATECO(code)]
	if !ok {
		return ATECOCode{}, false
	}
	return d.all[i], true
}

// ATECOCodes returns every ATECO 2007 code, sections included, in
// classification order (each section precedes its divisions).
func ATECOCodes() []ATECOCode {
	return slices.Clone(loadATECO().all)
}

// ATECOSections returns the 21 sections A–U with their Italian titles.
func ATECOSections() []ATECOCode {
	d := loadATECO()
	out := make([]ATECOCode, len(d.sections))
	for i, j := range d.sections {
		out[i] = d.all[j]
	}
	return out
}
