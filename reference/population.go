package reference

// defaultTrentinoPopulation is the weight given to the Trentino municipalities
// that are not in trentinoLargest.
const defaultTrentinoPopulation = 1500

// populationEntry is the approximate population of one municipality.
type populationEntry struct {
	code string // ISTAT code, as in data/comuni.csv
	name string // official name, checked against data/comuni.csv by the tests
	pop  int    // approximate residents, rounded
}

// trentinoLargest lists the largest municipalities of the Autonomous Province of
// Trento with their approximate resident population (order of magnitude of the
// ISTAT figures around 2023, rounded to the hundred or thousand). The figures
// are our own approximation and are used only as sampling weights when seeding
// candidates' home municipalities: they are not statistics.
var trentinoLargest = []populationEntry{
	{"022205", "Trento", 118000},
	{"022161", "Rovereto", 40000},
	{"022139", "Pergine Valsugana", 21500},
	{"022006", "Arco", 18000},
	{"022153", "Riva del Garda", 17500},
	{"022123", "Mori", 10000},
	{"022103", "Lavis", 9200},
	{"022001", "Ala", 9000},
	{"022104", "Levico Terme", 8300},
	{"022117", "Mezzolombardo", 7400},
	{"022062", "Cles", 7200},
	{"022022", "Borgo Valsugana", 7000},
	{"022230", "Predaia", 6700},
	{"022116", "Mezzocorona", 5500},
	{"022229", "Ledro", 5300},
	{"022245", "Primiero San Martino di Castrozza", 5300},
	{"022248", "Vallelaghi", 5200},
	{"022236", "Altopiano della Vigolana", 5100},
	{"022009", "Baselga di Pinè", 5000},
	{"022079", "Dro", 5000},
	{"022249", "Ville d'Anaunia", 4800},
	{"022183", "Storo", 4600},
	{"022147", "Predazzo", 4500},
	{"022007", "Avio", 4100},
	{"022050", "Cavalese", 4100},
	{"022061", "Civezzano", 4000},
	{"022025", "Brentonico", 4000},
	{"022222", "Villa Lagarina", 3800},
	{"022199", "Tione di Trento", 3700},
	{"022253", "Novella", 3600},
	{"022250", "San Giovanni di Fassa-Sèn Jan", 3600},
	{"022034", "Caldonazzo", 3500},
	{"022240", "Castel Ivano", 3300},
	{"022003", "Aldeno", 3200},
	{"022224", "Volano", 3200},
	{"022087", "Folgaria", 3100},
	{"022251", "Terre d'Adige", 3100},
	{"022143", "Pinzolo", 3100},
	{"022167", "San Michele all'Adige", 3100},
	{"022053", "Cavedine", 3000},
	{"022228", "Comano Terme", 2900},
	{"022124", "Nago-Torbole", 2900},
	{"022243", "Madruzzo", 2900},
	{"022156", "Roncegno Terme", 2900},
	{"022196", "Tesero", 2900},
	{"022246", "Sella Giudicarie", 2900},
	{"022098", "Isera", 2800},
	{"022118", "Moena", 2700},
	{"022254", "Ville di Fiemme", 2600},
	{"022013", "Besenello", 2600},
	{"022092", "Giovo", 2500},
	{"022144", "Pomarolo", 2500},
	{"022252", "Borgo d'Anaunia", 2500},
}

// trentinoPopulation returns trentinoLargest as a map from ISTAT code.
func trentinoPopulation() map[string]int {
	m := make(map[string]int, len(trentinoLargest))
	for _, e := range trentinoLargest {
		m[e.code] = e.pop
	}
	return m
}
