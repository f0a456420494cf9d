package reference

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ISCOGroup is a group of the ISCO-08 classification with its Italian label.
type ISCOGroup struct {
	Code  string // 1 to 4 digits, e.g. "5131"
	Level int    // 1 major group, 2 sub-major, 3 minor, 4 unit group (= len(Code))
	Label string // Italian label from ESCO, e.g. "Camerieri"
}

// iscoData is the parsed ISCO-08 list and its index.
type iscoData struct {
	all    []ISCOGroup
	byCode map[string]int
}

var (
	iscoOnce sync.Once
	isco     *iscoData
)

// loadISCO parses data/isco08.csv once.
func loadISCO() *iscoData {
	iscoOnce.Do(func() {
		rows := readEmbedded("isco08.csv", iscoCSV, "codice", "livello", "etichetta")
		d := &iscoData{all: make([]ISCOGroup, 0, len(rows)), byCode: make(map[string]int, len(rows))}
		for i, r := range rows {
			level, err := strconv.Atoi(r[1])
			if err != nil || level != len(r[0]) {
				panic(fmt.Sprintf("reference: embedded isco08.csv: bad level for %s", r[0]))
			}
			d.all = append(d.all, ISCOGroup{Code: r[0], Level: level, Label: r[2]})
			d.byCode[r[0]] = i
		}
		isco = d
	})
	return isco
}

// ISCOGroups returns all 619 ISCO-08 groups (levels 1–4) in source order.
func ISCOGroups() []ISCOGroup {
	return slices.Clone(loadISCO().all)
}

// ISCOByCode returns the ISCO-08 group with the given code ("5", "51", "513", "5131").
func ISCOByCode(code string) (ISCOGroup, bool) {
	d := loadISCO()
	i, ok := d.byCode[strings.TrimSpace(code)]
	if !ok {
		return ISCOGroup{}, false
	}
	return d.all[i], true
}

// ISCOAncestors returns the codes from the major group down to code itself,
// e.g. "5131" → ["5", "51", "513", "5131"]; nil if code is unknown.
func ISCOAncestors(code string) []string {
	code = strings.TrimSpace(code)
	d := loadISCO()
	if _, ok := d.byCode[code]; !ok {
		return nil
	}
	out := make([]string, 0, len(code))
	for n := 1; n <= len(code); n++ {
		if _, ok := d.byCode[code[:n]]; ok {
			out = append(out, code[:n])
		}
	}
	return out
}
