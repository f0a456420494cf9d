package matching

// The enumerations of the domain. Codes are English identifiers, stored as
// they are; the UI shows the Italian labels.

// CEFR levels of the Common European Framework of Reference for Languages,
// in increasing order; "native" ranks above C2.
var cefrOrder = []string{"A1", "A2", "B1", "B2", "C1", "C2", "native"}

// CEFRLevels returns the CEFR levels in increasing order, "native" last.
func CEFRLevels() []string { return append([]string(nil), cefrOrder...) }

// CEFRRank returns the position of a CEFR level (A1 = 1 … C2 = 6, native = 7),
// or 0 for an unknown level.
func CEFRRank(level string) int {
	for i, l := range cefrOrder {
		if l == level {
			return i + 1
		}
	}
	return 0
}

// EQFLevel is a level of the European Qualifications Framework with the
// Italian titles that give it.
type EQFLevel struct {
	Level  int
	Titles string
}

var eqfLevels = []EQFLevel{
	{1, "Diploma di licenza conclusiva del primo ciclo di istruzione (licenza media)"},
	{2, "Certificazione delle competenze di base acquisite in esito all'assolvimento dell'obbligo di istruzione"},
	{3, "Attestato di qualifica di operatore professionale (IeFP)"},
	{4, "Diploma di istruzione secondaria superiore; diploma professionale di tecnico (IeFP); certificato IFTS"},
	{5, "Diploma di tecnico superiore (ITS Academy)"},
	{6, "Laurea; diploma accademico di primo livello (AFAM)"},
	{7, "Laurea magistrale; diploma accademico di secondo livello; master universitario di primo livello"},
	{8, "Dottorato di ricerca; diploma accademico di formazione alla ricerca; specializzazione"},
}

// EQFLevels returns the eight EQF levels with the Italian titles at each.
func EQFLevels() []EQFLevel { return append([]EQFLevel(nil), eqfLevels...) }

// Term is an entry of a code list: the stored code and its Italian label.
type Term struct {
	Code  string
	Label string
}

var licences = []Term{
	{"AM", "AM – ciclomotori"},
	{"A1", "A1 – motocicli leggeri"},
	{"A2", "A2 – motocicli di media potenza"},
	{"A", "A – motocicli"},
	{"B1", "B1 – quadricicli"},
	{"B", "B – autovetture"},
	{"BE", "BE – autovetture con rimorchio"},
	{"C1", "C1 – autocarri fino a 7,5 t"},
	{"C1E", "C1E – autocarri fino a 7,5 t con rimorchio"},
	{"C", "C – autocarri"},
	{"CE", "CE – autoarticolati e autotreni"},
	{"D1", "D1 – minibus"},
	{"D1E", "D1E – minibus con rimorchio"},
	{"D", "D – autobus"},
	{"DE", "DE – autobus con rimorchio"},
	{"CQC_goods", "CQC merci – carta di qualificazione del conducente"},
	{"CQC_passengers", "CQC persone – carta di qualificazione del conducente"},
}

// Licences returns the driving licence categories and the CQC qualifications.
func Licences() []Term { return append([]Term(nil), licences...) }

// ContractType codes with their Italian labels.
var contractTypes = []Term{
	{"permanent", "Tempo indeterminato"},
	{"fixed_term", "Tempo determinato"},
	{"apprenticeship", "Apprendistato"},
	{"agency", "Somministrazione"},
	{"intermittent", "Lavoro intermittente (a chiamata)"},
	{"internship", "Tirocinio"},
	{"seasonal", "Stagionale"},
	{"freelance", "Lavoro autonomo / collaborazione"},
}

// ContractTypes returns the contract types as code and Italian label.
func ContractTypes() []Term { return append([]Term(nil), contractTypes...) }

// Working-time patterns with their Italian labels.
var workingTimes = []Term{
	{"full_time", "Tempo pieno"},
	{"part_time", "Part-time"},
	{"shifts", "Turni"},
	{"nights", "Turni notturni"},
	{"weekends", "Fine settimana e festivi"},
	{"seasonal", "Stagionale"},
	{"on_call", "A chiamata"},
}

// WorkingTimes returns the working-time patterns as code and Italian label.
func WorkingTimes() []Term { return append([]Term(nil), workingTimes...) }

func codeIn(code string, list []Term) bool {
	for _, l := range list {
		if l.Code == code {
			return true
		}
	}
	return false
}

// IsLicence reports whether code is a licence category.
func IsLicence(code string) bool { return codeIn(code, licences) }

// IsContractType reports whether code is a contract type.
func IsContractType(code string) bool { return codeIn(code, contractTypes) }

// IsWorkingTime reports whether code is a working-time pattern.
func IsWorkingTime(code string) bool { return codeIn(code, workingTimes) }

// Skill levels a CV may declare.
var skillLevels = []string{"unspecified", "basic", "intermediate", "advanced", "expert"}

// SkillLevelRank returns the order of a skill level (unspecified = 0,
// basic = 1 … expert = 4), or -1 for an unknown one.
func SkillLevelRank(level string) int {
	for i, l := range skillLevels {
		if l == level {
			return i
		}
	}
	return -1
}

// Reasons for rejecting a candidate or for an employer not selecting one.
var rejectionReasons = []Term{
	{"skills_gap", "Competenze non sufficienti"},
	{"experience", "Esperienza insufficiente"},
	{"language", "Conoscenza linguistica insufficiente"},
	{"availability", "Disponibilità non compatibile"},
	{"distance", "Distanza / mobilità"},
	{"salary", "Aspettative retributive"},
	{"contract", "Tipo di contratto"},
	{"interview", "Esito del colloquio"},
	{"position_filled", "Posizione già coperta"},
	{"other", "Altro"},
}

// RejectionReasons returns the reason codes with Italian labels.
func RejectionReasons() []Term { return append([]Term(nil), rejectionReasons...) }

// IsRejectionReason reports whether code is a rejection reason.
func IsRejectionReason(code string) bool { return codeIn(code, rejectionReasons) }
