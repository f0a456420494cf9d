package reference

import (
	_ "embed" // embedded code lists
	"encoding/csv"
	"fmt"
	"strings"
)

// comuniCSV holds data/comuni.csv: codice_istat, nome, sigla_provincia,
// provincia, regione, lat, lon (source: openpolis, ISTAT — CC BY 4.0).
//
//go:embed data/comuni.csv
var comuniCSV string

// iscoCSV holds data/isco08.csv: codice, livello, etichetta (source: ESCO,
// European Commission).
//
//go:embed data/isco08.csv
var iscoCSV string

// atecoCSV holds data/ateco2007.csv: codice, livello, sezione, descrizione
// (source: ISTAT, ATECO 2007 aggiornamento 2022).
//
//go:embed data/ateco2007.csv
var atecoCSV string

// readEmbedded parses an embedded CSV file, checks its header and returns the
// data rows. The files are part of the binary and covered by tests, so a
// malformed file is a programming error and panics.
func readEmbedded(name, data string, header ...string) [][]string {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = len(header)
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("reference: embedded %s: %v", name, err))
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(header, ",") {
		panic(fmt.Sprintf("reference: embedded %s: unexpected header", name))
	}
	return rows[1:]
}
