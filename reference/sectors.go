package reference

import "slices"

// Sector is one of the project's economic sectors, used to tag occupations and
// to give seeded employers a plausible ATECO code.
type Sector struct {
	Code           string   // sector tag used by Occupation.Sector, e.g. "turismo"
	Label          string   // Italian label
	ATECOSections  []string // ATECO sections typical of the sector
	ATECODivisions []string // ATECO divisions typical of the sector, each in one of ATECOSections
}

// Sector codes, as found in Occupation.Sector.
const (
	SectorTurismo     = "turismo"
	SectorEdilizia    = "edilizia"
	SectorManifattura = "manifattura"
	SectorAgricoltura = "agricoltura"
	SectorCommercio   = "commercio"
	SectorCura        = "cura"
	SectorLogistica   = "logistica"
	SectorICT         = "ict"
	SectorUfficio     = "ufficio"
)

// sectors is the sector list, in display order.
var sectors = []Sector{
	{SectorTurismo, "Turismo, alberghi e ristorazione", []string{"I", "N", "R"}, []string{"55", "56", "79", "93"}},
	{SectorEdilizia, "Edilizia e costruzioni", []string{"F"}, []string{"41", "42", "43"}},
	{SectorManifattura, "Industria manifatturiera", []string{"C"}, []string{"10", "11", "16", "22", "25", "27", "28", "29", "31", "33"}},
	{SectorAgricoltura, "Agricoltura e silvicoltura", []string{"A"}, []string{"01", "02"}},
	{SectorCommercio, "Commercio e riparazione di veicoli", []string{"G"}, []string{"45", "46", "47"}},
	{SectorCura, "Sanità, assistenza sociale e lavoro domestico", []string{"Q", "T"}, []string{"86", "87", "88", "97"}},
	{SectorLogistica, "Trasporti e logistica", []string{"H"}, []string{"49", "52", "53"}},
	{SectorICT, "Informatica e telecomunicazioni", []string{"J"}, []string{"61", "62", "63"}},
	{SectorUfficio, "Servizi amministrativi, finanziari e professionali", []string{"K", "M", "N"}, []string{"64", "66", "69", "70", "71", "78", "82"}},
}

// Sectors returns the project's sectors in display order.
func Sectors() []Sector {
	out := make([]Sector, len(sectors))
	for i, s := range sectors {
		out[i] = cloneSector(s)
	}
	return out
}

// SectorByCode returns the sector with the given code, e.g. "turismo".
func SectorByCode(code string) (Sector, bool) {
	for _, s := range sectors {
		if s.Code == code {
			return cloneSector(s), true
		}
	}
	return Sector{}, false
}

// cloneSector returns a copy of s that shares no slices with the package data.
func cloneSector(s Sector) Sector {
	s.ATECOSections = slices.Clone(s.ATECOSections)
	s.ATECODivisions = slices.Clone(s.ATECODivisions)
	return s
}
