package matching

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Ground is a ground of discrimination protected by law.
type Ground string

// The grounds on which a job ad must not select candidates.
const (
	GroundAge         Ground = "age"
	GroundSex         Ground = "sex"
	GroundAppearance  Ground = "appearance"
	GroundNationality Ground = "nationality"
	GroundReligion    Ground = "religion"
	GroundPolitics    Ground = "politics"
	GroundFamily      Ground = "family"
	GroundHealth      Ground = "health"
	GroundDisability  Ground = "disability"
	GroundOrientation Ground = "orientation"
)

// Grounds returns every ground, in a fixed order.
func Grounds() []Ground {
	return []Ground{GroundAge, GroundSex, GroundAppearance, GroundNationality, GroundReligion,
		GroundPolitics, GroundFamily, GroundHealth, GroundDisability, GroundOrientation}
}

// Label returns the Italian name of the ground.
func (g Ground) Label() string {
	switch g {
	case GroundAge:
		return "età"
	case GroundSex:
		return "sesso"
	case GroundAppearance:
		return "aspetto fisico"
	case GroundNationality:
		return "nazionalità o origine etnica"
	case GroundReligion:
		return "religione o convinzioni personali"
	case GroundPolitics:
		return "opinioni politiche o sindacali"
	case GroundFamily:
		return "stato civile, di famiglia o di gravidanza"
	case GroundHealth:
		return "stato di salute"
	case GroundDisability:
		return "disabilità"
	case GroundOrientation:
		return "orientamento sessuale"
	}
	return string(g)
}

// Law returns the legal reference that protects the ground: the one table
// of the laws the wording check cites.
func (g Ground) Law() string {
	switch g {
	case GroundSex:
		return "D.Lgs. 198/2006, art. 27"
	case GroundAge, GroundReligion, GroundDisability, GroundOrientation:
		return "D.Lgs. 216/2003, art. 3 (dir. 2000/78/CE); D.Lgs. 276/2003, art. 10"
	case GroundNationality:
		return "D.Lgs. 215/2003, art. 3 (dir. 2000/43/CE); D.Lgs. 286/1998, art. 43; D.Lgs. 276/2003, art. 10"
	case GroundPolitics:
		return "L. 300/1970, art. 8 e 15; D.Lgs. 276/2003, art. 10"
	case GroundFamily:
		return "D.Lgs. 198/2006, art. 27; D.Lgs. 276/2003, art. 10"
	case GroundHealth:
		return "L. 300/1970, art. 5 e 8; D.Lgs. 276/2003, art. 10"
	case GroundAppearance:
		// Requests about looks are, in practice, indirect sex and age discrimination.
		return "D.Lgs. 276/2003, art. 10; D.Lgs. 198/2006, art. 27"
	}
	return ""
}

// AdFinding is one passage of a job ad that may discriminate.
type AdFinding struct {
	Ground Ground `json:"ground"`
	// Excerpt is the offending words as written in the text (original
	// case and spacing), a short span.
	Excerpt string `json:"excerpt"`
	// Explanation says in Italian why the words may discriminate and how to
	// rephrase them.
	Explanation string `json:"explanation"`
	Law         string `json:"law"`
}

// CheckAd checks the text (title and description joined by the caller) of
// an ad whose contract type is contract (a code of ContractTypes(); may be
// ""). Findings come in order of position in the text, one per passage and
// ground; the result is empty, not nil, when nothing is found.
//
// The check knows the lawful forms: titles and notes that address both
// sexes, the age band of apprenticeship when the contract is one, the
// reservation of a post to the protected categories of L. 68/99, fitness
// assessed by the occupational doctor (medico competente), words that
// describe the company rather than the candidate, and equal-opportunity
// statements that name the grounds only to exclude them.
//
// Sex: explicit sex words ("donna", "uomo", "ragazza", "femminile", "di
// sesso maschile") are always flagged, except in forms naming both sexes
// ("uomo/donna", "ragazzo/a") or when they describe the product or the
// person cared for ("reparto donna", "badante per signora anziana").
// Job titles declined only in the feminine ("commessa", "segretaria") are
// flagged unless the ad addresses both sexes, by a double form
// ("commesso/a", "segretario/segretaria") or by a note anywhere in the text
// ("(m/f)", "ambosessi", "rivolto a entrambi i sessi", "L. 903/77").
// Masculine titles are not flagged: in Italian the masculine is the generic
// form of a job title, and art. 27 forbids requiring one sex, which a
// masculine title alone does not do; flagging every "cameriere" would bury
// the real findings.
//
// Age: limits in numbers ("età massima 35 anni", "under 30", "25-35 anni")
// and requests for young people are flagged; years of experience, of
// contract or of the company's history are not, nor a minimum of 18 years
// (the legal working age) or the ages of the children or teenagers the job
// is about. With an apprenticeship contract, the legal band (15–25 or
// 18–29, "under 30") and the word "giovani" are lawful.
func CheckAd(text, contract string) []AdFinding {
	return adCheckerOnce().check(text, contract)
}

// adCheckerOnce compiles the rules on first use.
var adCheckerOnce = sync.OnceValue(newAdChecker)

// adRuleKind says how a rule's matches are judged beyond its own vetoes;
// the zero value, by the vetoes alone.
type adRuleKind int

const (
	// adNoun names a ground and is lawful inside an equal-opportunity
	// statement ("senza distinzione di orientamento sessuale").
	adNoun adRuleKind = iota + 1
	// adFemTitle is a job title only in the feminine, lawful when the ad
	// addresses both sexes.
	adFemTitle
	// adAgeLimit states ages in numbers, judged on the bounds it sets and
	// on the contract type.
	adAgeLimit
	// adYoung asks for young people, lawful in an apprenticeship: the law
	// defines it as a contract for the training and employment of the
	// young (D.Lgs. 81/2015, art. 41).
	adYoung
)

// adRuleSpec is one rule as written: patterns apply to the folded text
// (lower case, no accents, single spaces). notBefore vetoes a match when it
// matches the text just before it (anchor it with $), notAfter when it
// matches the text just after it (anchor it with ^).
type adRuleSpec struct {
	ground              Ground
	kind                adRuleKind
	explain             string
	pattern             string
	notBefore, notAfter string
}

type adRule struct {
	ground              Ground
	kind                adRuleKind
	explain             string
	re                  adPattern
	notBefore, notAfter *adPattern
}

// adLawfulSpec is a lawful form: a match of a rule of the same ground that
// overlaps it is not a finding.
type adLawfulSpec struct {
	ground  Ground
	pattern string
}

type adLawful struct {
	ground Ground
	re     adPattern
}

type adChecker struct {
	rules  []adRule
	lawful []adLawful
	// bothSexes finds a form or note that addresses the ad to both sexes.
	bothSexes adPattern
	// statement finds the words that open an equal-opportunity statement.
	statement adPattern
	// For the feminine title's neighbours: "commessa/o", "commesso/commessa".
	titleSuffixes                     map[string]bool
	altAfter, altAfterWord, altBefore *regexp.Regexp
	// For age limits.
	ageNumber, ageUnder, ageLowerNeg, ageUpper, ageLower *regexp.Regexp
}

// Explanations, in Italian, as shown to employers and operators.
const (
	explAge = "L'annuncio pone un limite di età: selezionare in base all'età è vietato, salvo i limiti " +
		"fissati dalla legge per il tipo di contratto (es. apprendistato). Indicate invece l'esperienza o le competenze richieste."
	explAgeBandNotApprenticeship = "Questa fascia di età è ammessa solo per il contratto di apprendistato " +
		"(D.Lgs. 81/2015, artt. 43-45): con un altro contratto è un limite di età vietato. Se il contratto è di " +
		"apprendistato indicatelo come tipo di contratto, altrimenti togliete il limite."
	explAgeApprenticeshipBand = "Per l'apprendistato la legge ammette solo la fascia 18–29 anni (15–25 per il " +
		"primo livello, D.Lgs. 81/2015, artt. 43-45): un limite diverso è una selezione per età vietata. " +
		"Indicate la fascia di legge o togliete il limite."
	explYoung = "«Giovane» riferito al candidato è un requisito di età, vietato. Per descrivere l'azienda o il " +
		"gruppo di lavoro riferite la parola a loro (es. «azienda giovane»); per il candidato indicate esperienza e competenze."
	explAgeLooks = "L'annuncio chiede un aspetto giovanile: è un requisito di età mascherato, vietato. " +
		"Indicate le competenze richieste."
	explSex = "L'annuncio indica il sesso del candidato: la legge vieta di chiedere l'appartenenza all'uno o " +
		"all'altro sesso, salvo che sia essenziale alla prestazione (moda, arte, spettacolo). L'annuncio deve " +
		"rivolgersi a entrambi i sessi."
	explSexYoung = "«Ragazza» e «ragazzo» indicano il sesso (e suggeriscono un'età): l'annuncio deve rivolgersi " +
		"a entrambi i sessi. Usate la forma doppia («ragazzo/a») o, meglio, il nome della mansione con «(m/f)»."
	explSexTitle = "Il titolo della mansione è solo al femminile: l'annuncio deve rivolgersi a entrambi i sessi. " +
		"Usate la forma doppia (es. «commesso/a») o aggiungete «(m/f)» o la dicitura «rivolto a entrambi i sessi»."
	explAppearance = "L'annuncio chiede un requisito di aspetto fisico estraneo alla mansione, che discrimina " +
		"anche indirettamente per sesso o età. Indicate invece le capacità richieste (es. «cura del rapporto con il cliente»)."
	explBody = "Altezza, taglia o peso minimi sono requisiti fisici che escludono soprattutto le donne " +
		"(discriminazione indiretta), salvo che siano essenziali e proporzionati alla mansione. Togliete il requisito " +
		"o descrivete il compito da svolgere."
	explPhoto = "Chiedere una foto non serve a valutare le competenze e permette scelte basate su aspetto, età o " +
		"origine. Togliete la richiesta di foto."
	explTattoo = "Escludere chi ha tatuaggi o piercing è un requisito di aspetto estraneo alla mansione. Se " +
		"l'azienda ha regole su divisa o abbigliamento, descrivetele come condizioni di lavoro."
	explNationality = "L'annuncio seleziona per nazionalità od origine: è vietato. Potete chiedere invece il " +
		"permesso di soggiorno valido per lavoro o la conoscenza di una lingua a un livello indicato (es. italiano B2)."
	explCitizenship = "La cittadinanza si può chiedere solo quando una legge la impone per la mansione (impieghi " +
		"pubblici riservati ai cittadini, guardia particolare giurata); altrimenti è una discriminazione per " +
		"nazionalità. Potete chiedere il permesso di soggiorno valido per lavoro."
	explNative = "«Madrelingua» lega il requisito all'origine del candidato: indicate invece il livello di " +
		"conoscenza della lingua (es. «italiano C2» o «a livello madrelingua»)."
	explEthnic = "L'annuncio fa riferimento a origine etnica, «razza» o colore della pelle: non possono mai " +
		"essere criteri di selezione. Togliete il riferimento."
	explReligion = "L'annuncio seleziona per religione o convinzioni personali: è vietato, salvo nelle " +
		"organizzazioni di tendenza quando la fede è requisito essenziale della mansione (es. insegnamento della " +
		"religione). Togliete il riferimento."
	explPolitics = "L'annuncio seleziona per opinioni politiche o per adesione a un sindacato: è vietato " +
		"indagarle e tenerne conto nell'assunzione. Togliete il riferimento."
	explFamily = "L'annuncio seleziona per stato civile o situazione familiare: è vietato. Se il lavoro " +
		"richiede trasferte, turni o flessibilità di orario, indicate queste condizioni."
	explPregnancy = "L'annuncio fa riferimento a gravidanza o maternità: escludere per questo motivo è una " +
		"discriminazione di sesso vietata. Togliete il riferimento."
	explHealth = "L'annuncio chiede requisiti sullo stato di salute: il datore di lavoro non può accertarli; " +
		"l'idoneità alla mansione la valuta il medico competente (D.Lgs. 81/2008). Scrivete invece «idoneità alla " +
		"mansione accertata dal medico competente»."
	explDisability = "L'annuncio esclude le persone con disabilità: è vietato. L'idoneità alla mansione la " +
		"valuta il medico competente, con gli accomodamenti ragionevoli previsti dalla legge."
	explOrientation = "L'annuncio fa riferimento all'orientamento sessuale o all'identità di genere: non " +
		"possono essere criteri di selezione. Togliete il riferimento."
)

// Shared pieces of the patterns.
const (
	// reExclude is an optional word that restricts or excludes.
	reExclude = `(?:(?:solo|soltanto|esclusivamente|unicamente|preferibilmente|possibilmente|astenersi|no|niente)\s+)?`
	// reExcludeReq is a word that restricts or excludes, required.
	reExcludeReq = `(?:solo|soltanto|esclusivamente|unicamente|preferibilmente|possibilmente|astenersi|no|niente|non|esclus[oaie])\s+`
	// reCared is the text before the person an assistance job is for:
	// "badante per signora anziana", "assistenza notturna a uomo".
	reCared = `(?:assist\w*|accudi\w*|badare|bada|cura|compagnia|sostegno|supporto|accompagn\w*|badante|badanti|` +
		`sorveglianza|vigilanza|domicilio|igiene)\s+(?:\w+\s+){0,3}(?:a|ad|al|alla|allo|per|di|della|del|con)\s+` +
		`(?:(?:una|la|un|il|uno|lo)\s+)?(?:\w+\s+)?$`
	// reCaredAfter is the description of a person cared for.
	reCaredAfter = `^\s+(?:anzian\w*|disabil\w*|non\s+autosufficient\w*|allettat\w*|invalid\w*|malat\w*|ultra\w*|` +
		`affett\w+|con\s+(?:disabilit|demenza|alzheimer|parkinson|difficolt))`
	// reProduct is the text before a sex word that names a product line,
	// a sport team or a room: "reparto donna", "calcio femminile".
	reProduct = `(?:reparto|abbigliamento|moda|intimo|calzature|scarpe|collezion\w*|linea|taglio|tagli|` +
		`acconciatur\w*|parrucchier\w*|barbier\w*|capi|boutique|articoli|accessori|profumeria|cosmetica|` +
		`squadra|squadre|calcio|pallavolo|volley|basket|pallacanestro|nuoto|rugby|hockey|spogliatoi\w*|` +
		`bagn[oi]|servizi\s+igienici|sartoria|confezioni|abiti|camicie|pelletteria|fragranze|campionato|torneo)\s+` +
		`(?:(?:di|da|per|del|della|dello|delle|dei)\s+)?$`
	// rePerson is a noun for the candidate that an adjective may follow.
	rePerson = `(?:persona|persone|personale|candidat[oaie]|ragazz[oaie]|signor[ae]|signorin[ae]|donn[ae]|uom[oi]|` +
		`badant[ei]|colf|baby\s*-?\s*sitter|domestic[oaie]|autist[ai]|commess[oaie]|camerier[aei]|barist[ai]|` +
		`cuoc[oaih]e?|addett[oaie]|impiegat[oaie]|segretari[oaie]|collaborat(?:or[ei]|ric[ei])|` +
		`lavorat(?:or[ei]|ric[ei])|dipendent[ei]|operai[oae]?|murator[ei]|manoval[ei]|magazzinier[ei]|` +
		`operat(?:or[ei]|ric[ei])|infermier[ei]|educat(?:or[ei]|ric[ei])|insegnant[ei]|docent[ei]|assistent[ei])`
	// reReligious is the stem of a religious or belief adjective.
	reReligious = `(?:cattolic|cristian|musulman|islamic|ebre|ebraic|ortodoss|evangelic|protestant|buddist|induist|` +
		`valdes|avventist|mormon|sikh|testimon[ei]\s+di\s+geova)`
	// reAgeAfter vetoes a number of years that is not an age.
	reAgeAfter = `^\s*(?:di|d'|nel|nella|in|come)\s*(?:esperienz|anzianit|attivit|lavoro|servizio|contratt|pratica|` +
		`storia|vita|settore|ruolo|mansion|professione|azienda|mercato|garanzia|durata|studi|formazione|tradizion)|^\s+fa\b`
	// reAgeBefore vetoes a number of years about experience, a contract or
	// someone other than the candidate.
	reAgeBefore = `(?:esperienz\w*|anzianit\w*|contratt\w*|durata|pratica|servizio|attivit\w+|bambin\w*|bimb\w*|` +
		`minori|alunn\w*|student\w*|utenti|pazienti|ospiti|anzian\w*|figli\w*|mutu\w+|finanziament\w*|` +
		`noleggio|leasing|present\w*|operant\w*|attiv[aoie]|fondat\w*|nat[ao]|mercato|tradizion\w*|stori\w*)[^.;,\n]{0,25}$|` +
		`\b(?:da|per|dopo|in|negli|ogni)\s+$`
	// reAgeConnector joins the two numbers of an age band.
	reAgeConnector = `\s*(?:[-/]|,?\s*(?:e|ed|a|al|ai|agli|fino\s+a(?:i|gli)?|max\.?|massim[oa]|e\s+(?:max|massim[oa]))` +
		`(?:\s+(?:i|gli|di))?)\s*`
)

// adRules returns the rules, by ground.
func adRules() []adRuleSpec {
	return []adRuleSpec{
		// Age.
		{ground: GroundAge, kind: adAgeLimit, explain: explAge,
			pattern: `\beta\b'?(?:\s*:)?(?:[^.;,!?\n\d]|\b(?:max|min|ca)\.){0,30}\d{2}\b(?:` + reAgeConnector + `\d{2}\b)?(?:\s*anni\b)?`,
			notBefore: `(?:nessun\w*|senza|qualsiasi|ogni|non\s+(?:ci\s+sono|esistono|vi\s+sono|c'e|e\s+previsto|poniamo|abbiamo)\s+(?:alcun\w*\s+)?|` +
				`indipendentemente\s+dall?'?\s*|a\s+prescindere\s+dall?'?\s*)(?:limit\w*\s+(?:di\s+)?)?$|` +
				`(?:bambin\w*|bimb\w*|ragazzi|minori|alunn\w*|student\w*|utenti|pazienti|ospiti|anzian\w*|figli\w*|scuol\w*)\s+(?:\w+\s+)?(?:in|di|con|della|dell')\s*$`,
			notAfter: `^\s*(?:ore|h\b|%|euro|eur\b|mesi|giorni|settiman|km|kg|cm|posti|dipendenti|persone|anni\s+di\s+(?:esperienza|attivita|storia))`},
		{ground: GroundAge, kind: adAgeLimit, explain: explAge,
			pattern: `\b(?:max\.?|massim[oa]|non\s+oltre|non\s+piu\s+di|fino\s+a(?:i|gli)?|entro|inferiore\s+a(?:i|gli)?|sotto|` +
				`al\s+di\s+sotto\s+de(?:i|gli)|min\.?|minim[oa]|almeno|non\s+meno\s+di|dai|sopra|oltre)\s*(?:i\s+|gli\s+)?\d{2}\s*anni\b(?:\s+(?:di\s+eta|d'eta))?`,
			notBefore: reAgeBefore, notAfter: reAgeAfter},
		{ground: GroundAge, kind: adAgeLimit, explain: explAge,
			pattern:   `\b(?:(?:tra|fra)\s+(?:i\s+|gli\s+)?\d{2}\s+(?:e|ed)\s+(?:i\s+|gli\s+)?\d{2}|(?:dai|da)\s+\d{2}\s+(?:ai|agli|a)\s+\d{2}|\d{2}\s*[-/]\s*\d{2})\s*anni\b(?:\s+(?:di\s+eta|d'eta))?`,
			notBefore: reAgeBefore, notAfter: reAgeAfter},
		{ground: GroundAge, kind: adAgeLimit, explain: explAge,
			pattern: `\banni\s*:?\s*\d{2}\s*[-/]\s*\d{2}\b`, notBefore: reAgeBefore},
		{ground: GroundAge, kind: adAgeLimit, explain: explAge, pattern: `\b(?:under|over)\s*-?\s*\d{2}\b`,
			// A sports category ("squadra under 17") is not the candidate's age.
			// "Anche over 50" opens the ad to an age, it does not limit it.
			notBefore: `(?:squadr\w*|categori\w*|calcio|pallavolo|volley|basket|rugby|hockey|nazionale|campionat\w*|torneo|` +
				`giovanil\w*|femminil\w*|maschil\w*|allenator\w*|allenatric\w*|cors[oi])\s+(?:\w+\s+)?$|\banche\s+$`},
		{ground: GroundAge, kind: adAgeLimit, explain: explAge,
			pattern: `\b(?:(?:max\.?|massim[oa]|non\s+oltre|fino\s+a|entro)\s+(?:i\s+|a\s+)?)?\d{2}\s*-?\s*enn[ei]\b`},
		{ground: GroundAge, explain: explAge,
			pattern: `\b(?:(?:max\.?|massim[oa]|non\s+oltre)\s+)?(?:ultra)?(?:vent|trent|quarant|cinquant|sessant)enn[ei]\b`},
		{ground: GroundAge, explain: explAge,
			pattern: `\bnat[ie]\s+(?:dopo|prima|dal|nel|tra|fra|entro|a\s+partire\s+dal)\s+(?:il\s+|l'\s*)?(?:19|20)\d{2}\b|\bclasse\s+(?:19|20)\d{2}\b`},
		{ground: GroundAge, kind: adYoung, explain: explYoung, pattern: `\bgiovan(?:e|i|issim[oaie])\b`},
		{ground: GroundAge, explain: explAgeLooks, pattern: `\b(?:aspetto|look|immagine)\s+giovanil[ei]\b`},

		// Sex.
		{ground: GroundSex, explain: explSex,
			pattern:   `\b` + reExclude + `(?:donna|donne|uomo|uomini|maschio|maschi|femmina|femmine|signora|signorina|signorine)\b`,
			notBefore: reCared + `|` + reProduct,
			notAfter:  reCaredAfter + `|^\s+e\s+mezzi\b|^\s*(?:e|ed|o|/|-)\s*(?:uom|donn|bambin|unisex|ragazz)`},
		{ground: GroundSex, explain: explSexYoung,
			pattern:   `\b` + reExclude + `(?:ragazza|ragazze|ragazzo)\b`,
			notBefore: reCared, notAfter: reCaredAfter},
		{ground: GroundSex, explain: explSex,
			pattern: `\b` + reExclude + `(?:(?:personale|candidat[oaie]|figura|figure|risorsa|risorse|persona|presenza|` +
				`lavorat(?:ore|rice|ori|rici)|collaborat(?:ore|rice|ori|rici))\s+)?(?:(?:di|del)\s+(?:sesso|genere)\s+)?(?:maschil[ei]|femminil[ei])\b`,
			notBefore: reProduct, notAfter: `^\s*(?:e|ed|o|/|-)\s*(?:maschil|femminil)`},
		{ground: GroundSex, explain: explSex,
			pattern:  `\b(?:di\s+)?sesso\s*:?\s*(?:maschile|femminile|maschio|femmina|m|f)\b`,
			notAfter: `^\s*(?:/|o|e|-)\s*(?:[mf]\b|maschi|femmin)`},
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle,
			pattern: `\b(?:(?:capo\s*)?cameriera|segretari[ae]|addett[ae]|operai[ae]|(?:aiuto\s*|capo\s*)?cuoc(?:a|he)|` +
				`parrucchiera|cassiera|magazziniera|infermiera|ragioniera|gelataia|fornaia|panettiera|fioraia|lavandaia|` +
				`sart[ae]|casaling(?:a|he)|bambinaia|maestr[ae]|ostetrica|dottoressa|professoressa|banconiera|cantiniera|` +
				`carpentiera|casara|malgara|macellaia|imbianchina|fattorina|vignaiola|portinaia|` +
				`dama\s+di\s+compagnia|(?:operat|educat|animat|vendit|accompagnat|dirett|coordinat|collaborat|amministrat|` +
				`redatt|tradutt|istrutt|ispett|programmat|progettat|disegnat|massaggiat|puericult|sviluppat|manutent|tornit|` +
				`pitt|murat|montat|manovrat|installat|condutt|collaudat|autotrasportat|trasportat|assemblat|allevat|` +
				`viticolt|frutticolt|melicolt|agricolt|tinteggiat|ricercat|insegnat)ric[ei])\b`},
		// The same words name machines: "addetto alla piegatrice".
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle,
			pattern: `\b(?:saldat|selezionat|raccoglit|vendemmiat|potat|mungit|porzionat|imballat|confezionat|cucit|stirat|` +
				`ricamat|fresat|piegat|affettat|impastat|intonacat|panificat|etichettat|imbottigliat)ric[ei]\b`,
			notBefore: `(?:a|alla|alle|della|delle|sulla|sulle|dalla|dalle|con\s+la|con\s+le|la|le|di|su|uso|utilizzo|` +
				`conduzione|macchin\w*|manutenzione|impiant\w*|line[ae]|reparto|nuova|nuove)\s+$`,
			notAfter: `^\s+(?:automatic\w*|ottic\w*|industrial\w*|elettric\w*|a\s+filo|a\s+punti|mig|tig|laser|cnc|meccanic\w*)\b`},
		// The same words name dishes: "crema pasticcera", "alla boscaiola".
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle, pattern: `\b(?:pasticc?i?era|pizzaiola|boscaiola)\b`,
			notBefore: `(?:crema|creme|alla|allo|salsa|sugo)\s+$`},
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle, pattern: `\bdomestic(?:a|he)\b`,
			notBefore: `(?:collaborat\w+|pulizi\w*|lavor\w*|faccend\w*|attivita|mansion\w*|servizi\w*|mura|animal\w*|` +
				`economia|violenza|utenz\w+|spes\w+|incombenz\w+|vita|aiut\w*|impiant\w*|ambit\w*|assistenza|cure|scen\w+)\s+$`},
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle, pattern: `\bhostess\b`,
			notAfter: `^\s*(?:/|e|o|-|\()\s*stew`},
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle, pattern: `\bcommess[ae]\b`,
			notBefore: `(?:gestione|gestire|gestisce|responsabile|manager|capo|controllo|avanzamento|ingegneria|ufficio|` +
				`costi|margini|budget|acquisizione|esecuzione|chiusura|apertura|singola|singole|nuove|grandi|importanti|ogni)\s+` +
				`(?:(?:di|della|delle|dell[ae]|le|la|per|in|su|sulla|sulle)\s+)?$|\bper\s+(?:la\s+)?$`,
			notAfter: `^\s+(?:pubblic\w*|di\s+lavor\w*|acquisit\w*|in\s+corso|apert[ae]|industrial\w*|ester[ae]|militar\w*|navale|ferroviari\w*|\d)`},
		{ground: GroundSex, kind: adFemTitle, explain: explSexTitle, pattern: `\bimpiegat[ae]\b`,
			notBefore: `(?:risorse|somme|ore|energie|tecnologie|tecniche|materie|macchine|persone|quantita|forze|cifre)\s+$`},

		// Appearance.
		{ground: GroundAppearance, explain: explAppearance,
			pattern: `\b(?:bella|ottima|buona|gradevole|piacevole|bellissima|splendida|eccellente|discreta)\s+presenza\b|` +
				`\bpresenza\s+(?:gradevole|piacevole|attraente|bella)\b`,
			notAfter: `^\s+(?:sul|sui|sulla|nel|nei|nella|in|online|a\s+livello|internazional\w*|commercial\w*)\b`},
		{ground: GroundAppearance, explain: explAppearance,
			pattern: `\b(?:di\s+)?bell'\s*aspetto\b|\baspetto\s+(?:fisico\s+)?(?:gradevole|piacevole|attraente|piacente|gradito)\b|` +
				`\baspetto\s+fisico\b|\b(?:fisico|corporatura)\s+(?:atletic|asciutt|snell|prestant|statuari|minut|esile|longilin)\w*|` +
				`\bprestanza\s+fisica\b|\bbel\s+fisico\b|\bbell[ae]\s+(?:ragazz[ae]|donn[ae]|signor[ae]|signorin[ae])\b`},
		{ground: GroundAppearance, explain: explAppearance,
			pattern: `\b(?:attraent[ei]|avvenent[ei]|piacent[ei]|snell[ae]|slanciat[ae]|magr[ae]|carin[ae])\b`,
			notBefore: `(?:struttura|organizzazion\w*|procedur\w*|gestione|azienda|realta|burocrazia|team|processi|modalita|` +
				`formula|carn\w*|prosciutt\w*|dieta|stagion\w*|annat\w*|offert\w*|proposta|retribuzion\w*|condizion\w*|` +
				`provvigion\w*|opportunita|location|sede|ambiente|citta|zona)\s+(?:(?:e|ed|molto|piu)\s+)?$`},
		{ground: GroundAppearance, explain: explBody,
			pattern: `\baltezza\s*(?:minima|min\.?|massima|max\.?|non\s+inferiore|superiore|di\s+almeno|almeno|:)\s*(?:a\s+)?` +
				`(?:\d[.,]?\d{1,2}\s*(?:m|cm|mt|metri)?\b)?|\baltezza\s+(?:di\s+)?\d[.,]?\d{1,2}\s*(?:m|cm|mt|metri)\b|` +
				`\b(?:alt[oaie]|alti)\s+(?:almeno\s+)?(?:1[.,]\d{2}|1\d{2}\s*cm)\b|\bstatura\s+(?:minima|min|alta|elevata|non\s+inferiore)\b|` +
				`\b(?:alt[oa]|alte|alti)\s+(?:e|ed)\s+(?:snell|magr|slanciat|prestant)\w*`,
			notBefore: `(?:in|di|da|della|dell'|ad|lavor\w*)\s*$`,
			notAfter:  `^\s*(?:di\s+)?(?:sollevamento|lavoro|scaffal\w*|impilamento|carico|stoccaggio|inforcamento|forche)`},
		{ground: GroundAppearance, explain: explBody,
			pattern: `\btaglia\s*(?:max\.?|massima|massimo|non\s+superiore\s+a(?:lla)?|fino\s+alla?|:)?\s*(?:\d{2}|xxs|xs|s|m|small|medium)\b|` +
				`\b(?:no\s+)?(?:normopeso|sovrappeso)\b|\bpeso\s+(?:forma|proporzionat\w*|corporeo|nella\s+norma)\b`},
		{ground: GroundAppearance, explain: explTattoo,
			pattern: `\b(?:senza|no|niente|assenza\s+di|privo\s+di|priva\s+di|non\s+(?:avere|abbia|presenti|sono\s+ammessi))\s+` +
				`(?:\w+\s+)?(?:tatuagg\w+|piercing)\b(?:\s+visibil\w+)?`},
		{ground: GroundAppearance, explain: explPhoto,
			pattern: `\bfoto(?:grafia)?\s*(?:obbligatori\w*|a\s+figura\s+intera|intera|in\s+costume|necessari\w*|indispensabil\w*)|` +
				`\bfigura\s+intera\b|\b(?:cv|curriculum(?:\s+vitae)?)\s+(?:\w+\s+)?(?:con|corredat\w+\s+(?:di|da))\s+(?:una\s+)?foto(?:grafia)?\b|` +
				`\b(?:allegare|allegando|inviare|inviando)\s+(?:anche\s+)?(?:una\s+)?foto(?:grafia)?\b`,
			notAfter: `^\s+(?:de[il]|dell[ae']|degli|di)\s*(?:lavor|prodott|progett|realizzazion|portfolio|piatt|creazion)`},

		// Nationality and ethnic origin.
		{ground: GroundNationality, explain: explNationality,
			pattern: `\b` + reExcludeReq + `(?:(?:candidat[ie]|persone|personale|lavorator\w+|cittadini)\s+)?` +
				`(?:italian[oaie]|stranier[oaie]|extra\s*-?\s*comunitar\w+|comunitar\w+|europe[oaie]|extra\s*-?\s*ue|` +
				`african\w+|asiatic\w+|immigrat\w+|rumen\w+|romen\w+|albanes\w+|marocchin\w+|cines\w+|rom|sinti|zingar\w+|` +
				`nord\s*-?\s*african\w+|di\s+colore|ner[ie])\b`,
			// "Anche cittadini non comunitari con permesso" opens the ad.
			notBefore: `(?:lingu\w+|conoscenza|parla\w*|madrelingua|cucina|prodott\w*|vini|mercat\w*)[^.;\n]{0,30}$|\banche\s+(?:\w+\s+)?$`,
			notAfter: `^\s*(?:(?:e|o|,)\s+(?:ingles|tedesc|frances|spagnol)|parlat|scritt|[abc][12]\b|fluent)|` +
				`^\s+(?:con\s+(?:regolare\s+)?permesso|in\s+possesso|in\s+regola|titolar)`},
		{ground: GroundNationality, explain: explNationality,
			pattern: `\b` + rePerson + `\s+(?:(?:preferibilmente|solo|esclusivamente|rigorosamente|possibilmente)\s+)?` +
				`(?:italian|europe|stranier|comunitar|extracomunitar|rumen|romen|albanes|marocchin|cines|filippin|ucrain|` +
				`moldav|peruvian|srilankes|african|asiatic|nordic|caucasic)\w*`,
			notAfter: `^\s*(?:e|ed|o|/|,)\s*(?:extra|non|stranier)`},
		{ground: GroundNationality, kind: adNoun, explain: explNationality,
			pattern: `\b(?:di\s+)?nazionalita\s*:?\s*(?:italian|europe|comunitar|stranier|extracomunitar|ue\b)\w*`},
		{ground: GroundNationality, explain: explCitizenship,
			pattern: `\b(?:di\s+|con\s+)?cittadinanza\s*:?\s*(?:italian\w*|europe\w*|comunitar\w*|ue\b|dell'unione\s+europea|di\s+un\s+paese\s+(?:ue|dell'unione\s+europea|europeo))|` +
				`\bcittadin[oiae]\s+(?:italian\w*|europe\w*|comunitar\w*|ue\b|dell'unione\s+europea)`,
			notAfter: `^\s*(?:o|e|ed|/|,)\s*(?:extra|non|stranier|in\s+possesso|con\s+(?:regolare\s+)?permesso|titolar)`},
		{ground: GroundNationality, explain: explNationality,
			pattern: `\b(?:di\s+)?origin[ei]\s+(?:italian|stranier|europe|african|asiatic|extracomunitar|rumen|romen|albanes|` +
				`marocchin|cines|arab|nordafrican|sudamerican|latin|slav|mediterrane)\w*`},
		{ground: GroundNationality, kind: adNoun, explain: explEthnic,
			pattern:   `\borigin[ei]\s+etnic\w*|\betni[ae]\b|\bcolore\s+della\s+pelle\b|\brazz[ae]\b`,
			notBefore: `(?:can[ei]|gatt\w+|animal\w*|bovin\w+|suin\w+|cavall\w+|bestiame|pesc\w*)\s+(?:\w+\s+)?(?:di\s+)?$`},
		{ground: GroundNationality, explain: explEthnic,
			pattern: `\b(?:pelle|carnagione)\s+(?:chiar|bianc|scur|ner|olivastr)\w*|` +
				`\b(?:tratti|lineamenti|aspetto|fisionomia)\s+(?:somatic\w+\s+)?(?:europe|mediterrane|nordic|italian|occidental|caucasic|african|asiatic|oriental)\w*|\bcaucasic\w*`},
		{ground: GroundNationality, explain: explNative,
			pattern: `\b(?:(?:italian|tedesc|ingles|frances|spagnol|russ|cines|arab)[oaie]\s+)?(?:di\s+)?(?:madre\s*-?\s*lingu[ae]|lingua\s+madre)` +
				`(?:\s+(?:italian|tedesc|ingles|frances|spagnol|russ|portoghes|cines|arab|olandes|giappones|polacc|rumen|romen|albanes)\w*)?`,
			notBefore: `(?:livello|pari\s+a|equivalente\s+a|equiparabile\s+a)\s+(?:(?:di|a|al|alla)\s+)?$|\b(?:c1|c2)\s*(?:/|o|,)\s*$|\ba\s+$`,
			notAfter:  `^\s*(?:/|o|oppure|,)\s*(?:c1|c2|equivalent|equiparat|livello)`},

		// Religion.
		{ground: GroundReligion, explain: explReligion,
			pattern: `\b` + reReligious + `\w*\s+(?:praticant|osservant|credent|devot)\w*`},
		{ground: GroundReligion, explain: explReligion,
			pattern: `\b(?:solo|soltanto|esclusivamente|unicamente|preferibilmente|possibilmente|no|niente|astenersi|non|esclus[ie])\s+` +
				`(?:(?:candidat\w+|persone|personale)\s+)?(?:cattolic|cristian|musulman|islamic|ebre|evangelic|protestant|buddist|` +
				`induist|testimon[ei]\s+di\s+geova|credent|atei\b|atee\b|atea\b|ateo\b)\w*`},
		{ground: GroundReligion, explain: explReligion,
			pattern:   `\b(?:di|della)\s+(?:religione|fede|confessione)\s+` + reReligious + `\w*`,
			notBefore: `(?:insegnant\w*|docent\w*|insegnamento|professor\w*|maestr\w*|catechist\w*|ora|ore|lezion\w*)\s+(?:\w+\s+)?$`},
		{ground: GroundReligion, kind: adNoun, explain: explReligion,
			pattern: `\b(?:appartenenza|confessione|orientamento|convinzion[ei]|credo|fede|opinion[ei])\s+religios\w*|\breligione\s*:`},
		{ground: GroundReligion, explain: explReligion, pattern: `\b` + rePerson + `\s+` + reReligious + `\w*`},
		{ground: GroundReligion, explain: explReligion,
			pattern: `\b(?:senza|no|niente|non\s+(?:indossare|portare|indossi|porti)|vietat[oi])\s+(?:il\s+|l'\s*)?` +
				`(?:velo|hijab|chador|niqab|burqa|turbante|kippah|kippa|simboli\s+religiosi)\b`},

		// Political and union opinions.
		{ground: GroundPolitics, explain: explPolitics,
			pattern: `\b(?:(?:non|no)\s+)?(?:iscritt[oaie]|iscrizione|appartenen\w+|adesione|affiliazione|affiliat[oaie]|` +
				`militanza|militant[ei]|tesserat[oaie])\s+(?:a|ad|al|alla|ai|alle|agli|in|a\s+un|ad\s+un|a\s+una|ad\s+una)\s+` +
				`(?:\w+\s+)?(?:sindacat\w*|partit[oi](?:\s+politic[oi])?|organizzazion\w+\s+sindacal\w*|movimento\s+politic\w*)`},
		{ground: GroundPolitics, explain: explPolitics,
			pattern: `\b(?:no|non|niente|astenersi|esclus[ie])\s+(?:\w+\s+)?(?:sindacalist[ie]|sindacalizzat[oaie]|sindacati|politicizzat[oaie])\b`},
		{ground: GroundPolitics, kind: adNoun, explain: explPolitics,
			pattern: `\b(?:opinion[ei]|orientament[oi]|idee|convinzion[ei]|ideologi[ae]|affiliazione|appartenenza|fede|credo|` +
				`simpatie|posizion[ei]|tendenz[ae])\s+(?:politic[hoaie]+|sindacal[ei]|partitic[hoaie]+)\b`},
		{ground: GroundPolitics, explain: explPolitics,
			pattern: `\bapolitic[oaie]\b|\b` + rePerson + `\s+(?:a|di)\s+(?:destra|sinistra)\b|` +
				`\btessera\s+(?:di\s+partito|del\s+partito|di\s+un\s+partito|sindacale|del\s+sindacato)\b|` +
				`\b(?:non\s+(?:\w+\s+)?|senza\s+|nessun[ao]?\s+)(?:attivit\w+|impegn\w+|precedent\w+|trascors\w+|militanz\w+)\s+(?:politic\w+|sindacal\w+)`},

		// Marital and family status, pregnancy.
		{ground: GroundFamily, explain: explFamily,
			pattern: `\b(?:(?:preferibilmente|solo|non|no)\s+)?(?:nubil[ei]|celib[ei]|sposat[oaie]|coniugat[oaie]|fidanzat[oaie]|divorziat[oaie])\b`},
		{ground: GroundFamily, explain: explFamily, pattern: `\b(?:(?:preferibilmente|solo)\s+)?single\b`,
			notBefore: `(?:camer\w+|stanz\w+|lett\w+|mercato|pagina|corsia|tariffa)\s+$`,
			notAfter:  `^\s*-?\s*(?:sign|page|point|origin|source|core|board|player|malt|track|room)`},
		{ground: GroundFamily, kind: adNoun, explain: explFamily, pattern: `\bstato\s+(?:civile|di\s+famiglia)\b`},
		{ground: GroundFamily, explain: explFamily,
			pattern: `\b(?:senza|no|niente|nessun[oa]?|privo\s+di|priva\s+di|non\s+(?:avere|abbia|abbiano|ha|con))\s+(?:\w+\s+)?figli\b|` +
				`\bfigli\s+a\s+carico\b|\b(?:no|non|niente|astenersi|esclus\w+)\s+(?:neo\s*-?\s*)?(?:mamm[ae]|madri|neomamm[ae]|genitori)\b|` +
				`\b(?:senza|privo\s+di|priva\s+di|liber[oaie]\s+da|no|nessun[oi]?)\s+(?:\w+\s+)?(?:vincol\w+|impegn\w+|carich\w+|legam\w+|obbligh\w+)\s+` +
				`(?:familiar\w*|famigliar\w*|di\s+famiglia)|\bfigli\s+(?:piccol\w+|minori|in\s+tenera\s+eta)\b`},
		{ground: GroundFamily, kind: adNoun, explain: explPregnancy,
			pattern: `\b(?:(?:non|no|niente|esclus\w+|senza|test\s+di|stato\s+di)\s+(?:in\s+)?)?(?:gravidanz[ae]|incint[ae])\b|` +
				`\b(?:progett\w*|programm\w*|intenzion\w*|pian[oi]|pianificat\w*)\s+(?:di|a)\s+(?:avere\s+|fare\s+|mettere\s+su\s+)?` +
				`(?:maternita|gravidanz\w*|figli|famiglia)\b|\b(?:no|non|nessun\w*|senza|esclus\w*)\s+(?:\w+\s+)?maternita\b`},

		// Health.
		{ground: GroundHealth, explain: explHealth,
			pattern: `\bsan[oa]\s+e\s+robust[oa](?:\s+costituzione)?\b|\brobusta\s+costituzione\b|` +
				`\b(?:in\s+)?(?:perfett[oa]|buon[oa]|ottim[oa]|eccellent[ei])\s+(?:stato\s+di\s+)?salute\b|` +
				`\b(?:nessun[oa]?|senza|assenza\s+di|esente\s+da|privo\s+di|priva\s+di|liber[oa]\s+da)\s+(?:\w+\s+)?` +
				`(?:patologi\w+|malatti\w+|problem\w+\s+di\s+salute|allergi\w+|difett\w+\s+fisic\w+)|` +
				`\b(?:no|non|niente|astenersi|esclus\w+)\s+(?:\w+\s+)?(?:diabetic|epilettic|sieropositiv|cardiopatic|asmatic|obes|depress)\w*|` +
				`\b(?:test|esame)\s+(?:dell'|per\s+l'|hiv)\s*(?:hiv)?\b|\bsieropositiv\w*`},
		{ground: GroundHealth, kind: adNoun, explain: explHealth, pattern: `\bstato\s+di\s+salute\b`,
			notBefore: `(?:tutel\w*|sorveglianza|monitoraggio|salvaguardia)\s+(?:\w+\s+){0,2}$`,
			notAfter:  `^[^.;\n]{0,80}(?:medico\s+competente|sorveglianza\s+sanitaria|tutelat\w*)`},
		{ground: GroundHealth, explain: explHealth, pattern: `\bcertificat\w*\s+medic\w+`,
			notAfter: `^[^.;\n]{0,60}medico\s+competente`},

		// Disability.
		{ground: GroundDisability, explain: explDisability,
			pattern: `\b(?:no|non|niente|astenersi|esclus[oaie]|ad\s+esclusione\s+(?:di|delle|dei|degli))\s+(?:\w+\s+){0,2}?` +
				`(?:invalid[oaie]|disabil[ei]|persone\s+con\s+disabilita|portator[ei]\s+di\s+handicap|handicappat[oaie]|` +
				`categori[ae]\s+protett[ae]|diversamente\s+abil[ei])\b`},
		{ground: GroundDisability, explain: explDisability,
			pattern:   `\bnormodotat[oaie]\b|\bhandicappat[oaie]\b|\bfisicamente\s+integr[oaie]\b|\bintegrita\s+fisica\b|\b(?:vista|udito)\s+perfett[oa]\b|\bperfett[oa]\s+(?:vista|udito)\b`,
			notBefore: `(?:tutela|salvaguardia|protezione|sicurezza|difesa)\s+(?:dell[a']\s*)?$`},

		// Sexual orientation and gender identity.
		{ground: GroundOrientation, kind: adNoun, explain: explOrientation,
			pattern:  `\b(?:eterosessual|omosessual|bisessual|transessual)\w*|\b(?:gay|lesbic[ah]e?|lesbiche|transgender|lgbt\w*|queer)\b`,
			notAfter: `^\s*\+?\s*-?\s*friendly`},
		{ground: GroundOrientation, explain: explOrientation,
			pattern: `\b(?:no|non|niente|astenersi|esclus\w+)\s+(?:\w+\s+)?(?:gay|lesbic\w+|lesbiche|omosessual\w+|transgender|transessual\w+|bisessual\w+)\b`},
		{ground: GroundOrientation, kind: adNoun, explain: explOrientation,
			pattern: `\borientamento\s+sessuale\b|\bidentita\s+di\s+genere\b|\btendenz[ae]\s+sessual[ei]\b`},
	}
}

// The sexes in the double forms of sex words.
const (
	reMaleWord   = `(?:uom[oi]|ragazz[oi]|maschi[oe]?|signori)`
	reFemaleWord = `(?:donn[ae]|ragazz[ae]|femmin[ae]|signor[ae]|signorin[ae])`
	reBothSexes  = `\b` + reMaleWord + `\s*(?:/|-|\s(?:o|e|ed|oppure)\s)\s*` + reFemaleWord + `\b|` +
		`\b` + reFemaleWord + `\s*(?:/|-|\s(?:o|e|ed|oppure)\s)\s*` + reMaleWord + `\b|` +
		`\bragazz[oaie]\s*/\s*[aeio]\b|\b(?:maschil|femminil)[ei]\s*(?:/|\s(?:o|e|ed)\s)\s*(?:maschil|femminil)[ei]\b`
)

// adLawfulForms returns the lawful forms that overlap flagged words.
func adLawfulForms() []adLawfulSpec {
	return []adLawfulSpec{
		// Forms that name both sexes.
		{GroundSex, reBothSexes},
		// "Giovane" describing the company, the team or the products.
		{GroundAge, `\bgiovan[ei]\s+(?:(?:e|ed)\s+)?(?:(?:dinamic|frizzant|innovativ|modern|affermat|solid|creativ|ambizios|` +
			`intraprendent|motivat)\w*\s+(?:(?:e|ed)\s+)?){0,2}(?:azienda|aziende|realta|societa|impresa|imprese|start\s*-?\s*up|` +
			`team|squadra|staff|gruppo|ambiente|marchio|brand|studio|agenzia|cooperativa|catena|insegna|negozio|locale|` +
			`ristorante|bar|hotel|albergo|clientela|pubblico|target|moda|collezione|linea|progetto|format|laboratorio|officina)\b`},
		{GroundAge, `\b(?:azienda|aziende|realta|societa|impresa|start\s*-?\s*up|team|squadra|staff|gruppo|ambiente(?:\s+di\s+lavoro)?|` +
			`marchio|brand|studio|agenzia|cooperativa|catena|insegna|negozio|locale|ristorante|clientela|pubblico|target|` +
			`moda|collezione|linea|progetto|format|laboratorio)\s+(?:(?:molto|piuttosto|relativamente|dinamic\w+|` +
			`affiatat\w+|frizzant\w+|motivat\w+|modern\w+|informal\w+|internazional\w+|creativ\w+|solid\w+|e|ed|,)\s*){0,3}giovan[ei]\b`},
		{GroundAge, `\b(?:gruppo|squadra|team|staff)\s+(?:e\s+)?(?:di|(?:composto|formato)\s+da)\s+giovani\b(?:\s+\w+)?(?:\s+under\s*\d{2}\b)?`},
		// The average age of the staff describes the company.
		{GroundAge, `\beta\b'?\s+media\b`},
		{GroundAge, `\b(?:garanzia|centr[oi]|spazi[oi]|politiche|servizi|progett[oi]|associazion[ei]|pastorale|consulta)\s+` +
			`(?:per\s+(?:i\s+)?|dei\s+|ai\s+)?giovani\b|\b(?:con|verso|tra|fra)\s+(?:i\s+)?(?:bambini\s+e\s+|ragazzi\s+e\s+)?giovani\b`},
	}
}

// adBothSexesNote is a note or form, anywhere in the ad, that addresses it
// to both sexes.
const adBothSexesNote = `\(\s*[mhfu]\s*[-/]\s*[fmdxw](?:\s*/\s*[a-z*])*\s*\)|\b[mh]\s*/\s*[fw]\b|\bf\s*/\s*[mh]\b|` +
	`\bambosess[io]\b|\bambo\s+i\s+sessi\b|\bentramb[ie]\s+i\s+(?:sessi|generi)\b|\btutti\s+i\s+generi\b|` +
	`\b(?:qualsiasi|ogni)\s+(?:sesso|genere)\b|\bsenza\s+(?:alcuna\s+)?(?:distinzion\w*|discriminazion\w*)\s+[^.;\n]{0,60}\b(?:sesso|genere)\b|` +
	`\b(?:indipendentemente|a\s+prescindere)\s+dal\s+(?:sesso|genere)\b|\bsesso\s*:?\s*indifferente\b|` +
	`\b903\s*/\s*(?:19)?77\b|\b198\s*/\s*(?:20)?06\b|\b125\s*/\s*(?:19)?91\b|\bpari\s+opportunita\b|` +
	`\bcandidat[ie]\s*(?:/|\s(?:e|ed|o)\s)\s*candidat[ie]\b|` + reBothSexes

// adStatement opens an equal-opportunity statement, which names grounds
// only to say they do not count.
const adStatement = `\bsenza\s+(?:alcuna\s+)?(?:distinzion|discriminazion)|\bnessuna\s+(?:distinzion|discriminazion)|` +
	`\bindipendentemente|\ba\s+prescindere|\bdiscrimin|\bdiversita|\binclusion|\binclusiv|\bpari\s+opportunita|` +
	`\bnel\s+rispetto|\bvalorizz`

func newAdChecker() *adChecker {
	c := &adChecker{
		bothSexes:     compileAdPattern(adBothSexesNote),
		statement:     compileAdPattern(adStatement),
		titleSuffixes: map[string]bool{},
		altAfter:      regexp.MustCompile(`^\s*(?:/|\()\s*([a-z]+)`),
		altAfterWord:  regexp.MustCompile(`^\s+(?:o|e|ed|oppure)\s+([a-z]+)`),
		altBefore:     regexp.MustCompile(`([a-z]+)\s*(?:/|\s(?:o|e|ed|oppure)\s)\s*$`),
		ageNumber:     regexp.MustCompile(`\d+`),
		ageUnder:      regexp.MustCompile(`\bunder\b`),
		ageLowerNeg:   regexp.MustCompile(`\bnon\s+(?:inferiore|meno)\b`),
		ageUpper: regexp.MustCompile(`\b(?:max|massim[oa]|non\s+oltre|non\s+superiore|non\s+piu|fino|entro|` +
			`inferiore|sotto)\b`),
		ageLower: regexp.MustCompile(`\b(?:min|minim[oa]|almeno|over|oltre|dai|superiore|sopra)\b`),
	}
	// Suffixes that turn a feminine title into a double form: "commessa/o",
	// "operatrice/ore", "educatrice (tore)".
	for _, suffix := range strings.Fields("a e i o ae ie io ii oa essa esse ore ori tore tori trice trici ice ici ro ri co ci chi ere eri") {
		c.titleSuffixes[suffix] = true
	}
	for _, s := range adRules() {
		r := adRule{ground: s.ground, kind: s.kind, explain: s.explain, re: compileAdPattern(s.pattern)}
		if s.notBefore != "" {
			p := compileAdPattern(s.notBefore)
			r.notBefore = &p
		}
		if s.notAfter != "" {
			p := compileAdPattern(s.notAfter)
			r.notAfter = &p
		}
		c.rules = append(c.rules, r)
	}
	for _, s := range adLawfulForms() {
		c.lawful = append(c.lawful, adLawful{ground: s.ground, re: compileAdPattern(s.pattern)})
	}
	return c
}

// adPattern is a regular expression with the literals one of which every
// match contains: a text with none of them is not searched, which skips
// most rules on most ads.
type adPattern struct {
	re      *regexp.Regexp
	needles []string // nil: search every text
}

func compileAdPattern(pattern string) adPattern {
	p := adPattern{re: regexp.MustCompile(pattern)}
	if tree, err := syntax.Parse(pattern, syntax.Perl); err == nil {
		p.needles = requiredLiterals(tree.Simplify())
	}
	return p
}

func (p adPattern) mayMatch(s string) bool {
	if p.needles == nil {
		return true
	}
	for _, n := range p.needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

func (p adPattern) findAll(s string) [][]int {
	if !p.mayMatch(s) {
		return nil
	}
	return p.re.FindAllStringIndex(s, -1)
}

func (p adPattern) matchString(s string) bool { return p.mayMatch(s) && p.re.MatchString(s) }

// requiredLiterals returns strings one of which every match of re
// contains, or nil when it cannot tell.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			l := requiredLiterals(sub)
			if l == nil {
				return nil
			}
			out = append(out, l...)
		}
		return out
	case syntax.OpConcat:
		// Every factor is required: keep the most selective, the one
		// whose shortest literal is longest.
		var best []string
		for _, sub := range re.Sub {
			if l := requiredLiterals(sub); l != nil && (best == nil || shortest(l) > shortest(best)) {
				best = l
			}
		}
		return best
	}
	return nil
}

func shortest(ss []string) int {
	n := len(ss[0])
	for _, s := range ss[1:] {
		n = min(n, len(s))
	}
	return n
}

// adSpan is a finding at a place of the folded text.
type adSpan struct {
	start, end int
	finding    AdFinding
}

// adContextBytes is how much text before and after a match its vetoes see.
const adContextBytes = 80

func (c *adChecker) check(text, contract string) []AdFinding {
	ft := foldAdText(text)
	s := ft.s
	// The lawful forms, the note for both sexes and the statements are
	// looked for only when a rule needs them.
	lawful := map[Ground]*adSpanSet{}
	lawfulFor := func(g Ground) *adSpanSet {
		if set, ok := lawful[g]; ok {
			return set
		}
		set := &adSpanSet{}
		for _, l := range c.lawful {
			if l.ground == g {
				for _, m := range l.re.findAll(s) {
					set.add(m[0], m[1])
				}
			}
		}
		set.index()
		lawful[g] = set
		return set
	}
	var statements *adSpanSet
	bothSexes := -1 // unknown

	var spans []adSpan
	for _, r := range c.rules {
		for _, m := range r.re.findAll(s) {
			st, en := trimAdMatch(s, m[0], m[1])
			if st >= en {
				continue
			}
			if r.notBefore != nil && r.notBefore.matchString(s[max(0, st-adContextBytes):st]) {
				continue
			}
			if r.notAfter != nil && r.notAfter.matchString(s[en:min(len(s), en+adContextBytes)]) {
				continue
			}
			if lawfulFor(r.ground).overlaps(st, en) {
				continue
			}
			explain := r.explain
			switch r.kind {
			case adNoun:
				if statements == nil {
					statements = c.statementSentences(s)
				}
				if statements.overlaps(st, st+1) {
					continue
				}
			case adFemTitle:
				if bothSexes < 0 {
					bothSexes = 0
					if c.bothSexes.matchString(s) {
						bothSexes = 1
					}
				}
				if bothSexes == 1 || c.doubleTitle(s, st, en) {
					continue
				}
			case adYoung:
				if contract == "apprenticeship" {
					continue
				}
			case adAgeLimit:
				var ok bool
				if explain, ok = c.judgeAge(s[st:en], contract); !ok {
					continue
				}
			}
			spans = append(spans, adSpan{start: st, end: en, finding: AdFinding{
				Ground: r.ground, Explanation: explain, Law: r.ground.Law()}})
		}
	}

	// In order of position; of overlapping passages of one ground the first
	// and longest is kept, so that excerpts stay short. Spans come sorted
	// by start, so only the last passage kept for a ground can overlap the
	// next one.
	slices.SortStableFunc(spans, func(a, b adSpan) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var merged []adSpan
	last := map[Ground]int{}
	for _, sp := range spans {
		if i, ok := last[sp.finding.Ground]; ok && sp.start < merged[i].end {
			continue
		}
		last[sp.finding.Ground] = len(merged)
		merged = append(merged, sp)
	}
	out := make([]AdFinding, 0, len(merged))
	for _, sp := range merged {
		f := sp.finding
		f.Excerpt = ft.original(text, sp.start, sp.end)
		out = append(out, f)
	}
	return out
}

// adSpanSet answers whether a span overlaps any of a set of spans, in
// logarithmic time once indexed.
type adSpanSet struct {
	spans  [][2]int
	maxEnd []int // maxEnd[i] is the largest end among spans[:i+1]
}

func (set *adSpanSet) add(start, end int) { set.spans = append(set.spans, [2]int{start, end}) }

func (set *adSpanSet) index() {
	slices.SortFunc(set.spans, func(a, b [2]int) int { return a[0] - b[0] })
	set.maxEnd = make([]int, len(set.spans))
	for i, sp := range set.spans {
		set.maxEnd[i] = sp[1]
		if i > 0 {
			set.maxEnd[i] = max(sp[1], set.maxEnd[i-1])
		}
	}
}

// overlaps reports whether [start, end) overlaps a span of the set.
func (set *adSpanSet) overlaps(start, end int) bool {
	if set == nil {
		return false
	}
	// The spans that start before end; one of them must end after start.
	k, _ := slices.BinarySearchFunc(set.spans, end, func(sp [2]int, t int) int { return sp[0] - t })
	return k > 0 && set.maxEnd[k-1] > start
}

// trimAdMatch drops spaces and punctuation from the ends of a match.
func trimAdMatch(s string, st, en int) (int, int) {
	for st < en && strings.IndexByte(" \n,:;.-'", s[st]) >= 0 {
		st++
	}
	for en > st && strings.IndexByte(" \n,:;-'", s[en-1]) >= 0 {
		en--
	}
	return st, en
}

// statementSentences returns the sentences of the folded text that hold an
// equal-opportunity statement. A full stop ends a sentence unless it ends
// an abbreviation of a legal reference ("D.Lgs.", "L.", "art.").
func (c *adChecker) statementSentences(s string) *adSpanSet {
	set := &adSpanSet{}
	st := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case ';', '!', '?', '\n':
			case '.':
				if i+1 < len(s) && s[i+1] != ' ' || adAbbreviation(s[st:i]) {
					continue
				}
			default:
				continue
			}
		}
		if c.statement.matchString(s[st:i]) {
			set.add(st, i)
		}
		st = i + 1
	}
	set.index()
	return set
}

// adAbbreviation reports whether s ends with an abbreviation that takes a
// full stop in legal references.
func adAbbreviation(s string) bool {
	for _, a := range []string{" l", "lgs", " art", " n", " dir", " es", "ecc", " d", " c"} {
		if strings.HasSuffix(s, a) || s == strings.TrimSpace(a) {
			return true
		}
	}
	return false
}

// doubleTitle reports whether the feminine title at s[st:en] is half of a
// double form: "commessa/o", "commessa (o)", "commesso/commessa",
// "operatore o operatrice", "hostess/steward".
func (c *adChecker) doubleTitle(s string, st, en int) bool {
	title := s[st:en]
	after := s[en:min(len(s), en+adContextBytes)]
	if m := c.altAfter.FindStringSubmatch(after); m != nil {
		if c.titleSuffixes[m[1]] || sameStem(title, m[1]) || strings.HasPrefix(m[1], "steward") {
			return true
		}
	}
	if m := c.altAfterWord.FindStringSubmatch(after); m != nil && sameStem(title, m[1]) {
		return true
	}
	before := s[max(0, st-adContextBytes):st]
	if m := c.altBefore.FindStringSubmatch(before); m != nil && m[1] != title &&
		(sameStem(title, m[1]) || strings.HasPrefix(m[1], "steward")) {
		return true
	}
	return false
}

// sameStem reports whether two words share a stem of at least four letters
// and differ: the masculine and feminine of one title.
func sameStem(a, b string) bool {
	if a == b {
		return false
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 4
}

// judgeAge decides on an age limit written in numbers: a minimum of 18 or
// less is the legal working age and is lawful, as is the apprenticeship
// band (D.Lgs. 81/2015, artt. 43-45: 15–25 for the first level, 18–29 for
// the others) when the contract is apprenticeship. It returns the
// explanation, and false when the passage is not a finding.
func (c *adChecker) judgeAge(excerpt, contract string) (string, bool) {
	var nums []int
	for _, m := range c.ageNumber.FindAllString(excerpt, -1) {
		if len(m) == 2 {
			n, _ := strconv.Atoi(m)
			nums = append(nums, n)
		}
	}
	if len(nums) == 0 {
		return explAge, true
	}
	// Below 15 nobody may work: these are children's ages ("ragazzi dai
	// 14 ai 18 anni"), not the candidate's.
	if slices.Min(nums) < 15 {
		return "", false
	}
	var lo, hi int
	switch {
	case len(nums) >= 2:
		lo, hi = slices.Min(nums), slices.Max(nums)
	case c.ageUnder.MatchString(excerpt):
		hi = nums[0] - 1
	case c.ageLowerNeg.MatchString(excerpt):
		lo = nums[0]
	case c.ageUpper.MatchString(excerpt):
		hi = nums[0]
	case c.ageLower.MatchString(excerpt):
		lo = nums[0]
	default:
		lo, hi = nums[0], nums[0]
	}
	if hi == 0 && lo <= 18 {
		return "", false
	}
	band := (hi == 25 || hi == 29) && (lo == 0 || lo >= 15 && lo <= 18)
	switch {
	case contract == "apprenticeship" && band:
		return "", false
	case contract == "apprenticeship":
		return explAgeApprenticeshipBand, true
	case band:
		return explAgeBandNotApprenticeship, true
	}
	return explAge, true
}

// adText is an ad folded for matching: lower case, accents removed, runs
// of spaces made one (a newline if they hold one), typographic quotes and
// dashes made ASCII. Every byte keeps the span of the original rune it
// comes from, so that excerpts are cut from the original text.
type adText struct {
	s          string
	start, end []int
}

func foldAdText(text string) adText {
	var b strings.Builder
	b.Grow(len(text))
	ft := adText{start: make([]int, 0, len(text)), end: make([]int, 0, len(text))}
	emit := func(piece string, i, j int) {
		b.WriteString(piece)
		for range len(piece) {
			ft.start = append(ft.start, i)
			ft.end = append(ft.end, j)
		}
	}
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			j := i
			newline := false
			for j < len(text) {
				r2, w2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				newline = newline || r2 == '\n'
				j += w2
			}
			if newline {
				emit("\n", i, j)
			} else {
				emit(" ", i, j)
			}
			i = j
			continue
		}
		emit(foldAdRune(r), i, i+w)
		i += w
	}
	ft.s = b.String()
	return ft
}

// original returns the original text behind the folded bytes [st, en).
func (ft adText) original(text string, st, en int) string {
	return text[ft.start[st]:ft.end[en-1]]
}

// foldAdRune folds a rune for matching. Letters become ASCII, so that
// RE2's ASCII word boundaries work on Italian words; a letter with no
// ASCII form becomes "x", still a letter.
func foldAdRune(r rune) string {
	if r < utf8.RuneSelf {
		return string(unicode.ToLower(r))
	}
	switch r {
	case '’', '‘', 'ʼ', '´', '`':
		return "'"
	case '–', '—', '‐', '‑', '−':
		return "-"
	case '«', '»', '“', '”', '„':
		return `"`
	case 'ə', 'Ə':
		return "*" // the schwa of gender-neutral forms: "camerierə"
	case utf8.RuneError:
		return "?"
	}
	switch unicode.ToLower(r) {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return "a"
	case 'ç', 'ć', 'č':
		return "c"
	case 'ď', 'đ':
		return "d"
	case 'è', 'é', 'ê', 'ë', 'ē', 'ę', 'ě':
		return "e"
	case 'ì', 'í', 'î', 'ï', 'ī', 'ı':
		return "i"
	case 'ł', 'ľ':
		return "l"
	case 'ñ', 'ń', 'ň':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return "o"
	case 'ř':
		return "r"
	case 'ś', 'š', 'ș', 'ş':
		return "s"
	case 'ț', 'ţ', 'ť':
		return "t"
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ź', 'ż', 'ž':
		return "z"
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return "x"
	}
	return string(r)
}
