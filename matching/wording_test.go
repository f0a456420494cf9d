package matching_test

import (
	"slices"
	"strings"
	"testing"

	"incontro/matching"
)

const (
	gAge         = matching.GroundAge
	gSex         = matching.GroundSex
	gAppearance  = matching.GroundAppearance
	gNationality = matching.GroundNationality
	gReligion    = matching.GroundReligion
	gPolitics    = matching.GroundPolitics
	gFamily      = matching.GroundFamily
	gHealth      = matching.GroundHealth
	gDisability  = matching.GroundDisability
	gOrientation = matching.GroundOrientation
)

// adCase is a sentence of a job ad and the grounds the check must find in
// it (none for a lawful sentence), with an excerpt it must report if set.
type adCase struct {
	name     string
	contract string
	text     string
	grounds  []matching.Ground
	excerpt  string
}

var flaggedAds = []adCase{
	{name: "a feminine title alone asks for a woman",
		text: "Pizzeria a Trento cerca cameriera per il fine settimana.", grounds: []matching.Ground{gSex}, excerpt: "cameriera"},
	{name: "a girl wanted, women only",
		text: "Cerchiamo ragazza per il banco gastronomia, solo donne.", grounds: []matching.Ground{gSex}, excerpt: "solo donne"},
	{name: "male staff for loading",
		text: "Si ricerca personale maschile per carico e scarico merci.", grounds: []matching.Ground{gSex}, excerpt: "personale maschile"},
	{name: "a preferred sex",
		text: "Preferibilmente di sesso femminile, con esperienza di segreteria.", grounds: []matching.Ground{gSex},
		excerpt: "Preferibilmente di sesso femminile"},
	{name: "a dentist's secretary in the feminine",
		text: "Studio dentistico cerca segretaria alla poltrona, part-time mattina.", grounds: []matching.Ground{gSex}},
	{name: "a hostess without a steward",
		text: "Cercasi hostess per fiere ed eventi aziendali.", grounds: []matching.Ground{gSex}},
	{name: "a cleaning job for a woman",
		text: "Impresa di pulizie cerca addetta alle pulizie per uffici a Rovereto.", grounds: []matching.Ground{gSex}},
	{name: "a lady for the housework",
		text: "Cercasi signora per pulizie domestiche tre mattine a settimana.", grounds: []matching.Ground{gSex}, excerpt: "signora"},
	{name: "the ideal candidate is a man of a given age",
		text: "Il candidato ideale è un uomo tra i 30 e i 40 anni.", grounds: []matching.Ground{gSex, gAge}, excerpt: "tra i 30 e i 40 anni"},
	{name: "a shop assistant young and good-looking",
		text: "Negozio in centro cerca commessa, età massima 30 anni, bella presenza.", grounds: []matching.Ground{gSex, gAge, gAppearance}},
	{name: "young school leavers",
		text: "Azienda cerca giovani diplomati da inserire in ufficio tecnico.", grounds: []matching.Ground{gAge}, excerpt: "giovani"},
	{name: "a young new graduate",
		text: "Cercasi neodiplomato giovane e motivato per magazzino.", grounds: []matching.Ground{gAge}},
	{name: "a truck driver not over fifty",
		text: "Autista patente C con CQC, non oltre i 50 anni.", grounds: []matching.Ground{gAge}, excerpt: "non oltre i 50 anni"},
	{name: "under 30 without an apprenticeship",
		text: "Cerchiamo under 30 per il nostro punto vendita di Trento.", grounds: []matching.Ground{gAge}, excerpt: "under 30"},
	{name: "the apprenticeship band on a permanent contract", contract: "permanent",
		text: "Apprendista meccanico, età 18-29 anni.", grounds: []matching.Ground{gAge}, excerpt: "età 18-29 anni"},
	{name: "an apprenticeship narrower than the law", contract: "apprenticeship",
		text: "Apprendista elettricista, età massima 24 anni.", grounds: []matching.Ground{gAge}},
	{name: "at most a 45-year-old",
		text: "Requisiti: massimo 45enne, patente B.", grounds: []matching.Ground{gAge}, excerpt: "massimo 45enne"},
	{name: "an gAge range",
		text: "Età compresa tra i 25 e i 35 anni, automunito.", grounds: []matching.Ground{gAge},
		excerpt: "Età compresa tra i 25 e i 35 anni"},
	{name: "a range of years written after the word",
		text: "Anni 25-35, disponibilità immediata.", grounds: []matching.Ground{gAge}},
	{name: "a birth year",
		text: "Nati dopo il 1995, diploma di ragioneria.", grounds: []matching.Ground{gAge}},
	{name: "a youthful look",
		text: "Commesso/a per negozio di moda, look giovanile.", grounds: []matching.Ground{gAge}},
	{name: "a receptionist of excellent presence",
		text: "Receptionist per hotel 4 stelle, ottima presenza e inglese fluente.", grounds: []matching.Ground{gAppearance}},
	{name: "a minimum height and a dress size",
		text: "Altezza minima 1,70 m, taglia 42.", grounds: []matching.Ground{gAppearance}},
	{name: "no visible tattoos",
		text: "Si richiede assenza di tatuaggi visibili.", grounds: []matching.Ground{gAppearance}},
	{name: "a full-length photograph",
		text: "Inviare curriculum con foto a figura intera.", grounds: []matching.Ground{gAppearance}},
	{name: "Italian women only for a live-in carer",
		text: "Badante convivente, solo italiane.", grounds: []matching.Ground{gNationality}, excerpt: "solo italiane"},
	{name: "Italian citizenship in a private firm",
		text: "Requisito indispensabile: cittadinanza italiana.", grounds: []matching.Ground{gNationality}},
	{name: "native Italian speakers for a call centre",
		text: "Operatori call center madrelingua italiana per campagne outbound.", grounds: []matching.Ground{gNationality},
		excerpt: "madrelingua italiana"},
	{name: "no foreigners",
		text: "No stranieri, astenersi perditempo.", grounds: []matching.Ground{gNationality}},
	{name: "an Italian home help",
		text: "Cercasi colf italiana referenziata.", grounds: []matching.Ground{gNationality}, excerpt: "colf italiana"},
	{name: "a practising Catholic baby sitter",
		text: "Cerchiamo baby sitter cattolica praticante per due bambini.", grounds: []matching.Ground{gReligion}},
	{name: "no Muslims",
		text: "Scuola privata cerca docente di matematica, non musulmani.", grounds: []matching.Ground{gReligion}},
	{name: "no union members",
		text: "Candidati non iscritti al sindacato.", grounds: []matching.Ground{gPolitics}},
	{name: "an apolitical person",
		text: "Richiesta persona apolitica, riservata e discreta.", grounds: []matching.Ground{gPolitics}},
	{name: "an unmarried childless secretary",
		text: "Segretaria nubile, senza figli, disponibile a trasferte.", grounds: []matching.Ground{gSex, gFamily}},
	{name: "no gFamily ties",
		text: "Si cerca impiegata senza vincoli familiari.", grounds: []matching.Ground{gSex, gFamily}},
	{name: "no pregnant women",
		text: "No donne in gravidanza.", grounds: []matching.Ground{gSex, gFamily}},
	{name: "a sound and robust constitution",
		text: "Magazziniere di sana e robusta costituzione.", grounds: []matching.Ground{gHealth}},
	{name: "a medical certificate of good health",
		text: "Richiesto certificato medico di buona salute.", grounds: []matching.Ground{gHealth}},
	{name: "perfect gHealth and no illness",
		text: "Nessuna patologia pregressa, in perfetta salute.", grounds: []matching.Ground{gHealth}},
	{name: "no disabled people",
		text: "Operaio generico, no invalidi.", grounds: []matching.Ground{gDisability}},
	{name: "an able-bodied operator",
		text: "Cercasi operatore normodotato per linea di produzione.", grounds: []matching.Ground{gDisability}},
	{name: "a heterosexual entertainer",
		text: "Animatore turistico eterosessuale.", grounds: []matching.Ground{gOrientation}},
	{name: "no gays",
		text: "Cameriere di sala, no gay.", grounds: []matching.Ground{gOrientation}},
	{name: "an apprenticeship band is lawful but a girl is not", contract: "apprenticeship",
		text: "Apprendista estetista, ragazza tra i 18 e i 29 anni.", grounds: []matching.Ground{gSex}, excerpt: "ragazza"},
	{name: "a pastry cook in the feminine",
		text: "Bar-pasticceria cerca pasticcera con esperienza; si valutano anche neodiplomati.", grounds: []matching.Ground{gSex}},
	{name: "good health at high altitude",
		text: "Cercasi cuoco/a per rifugio alpino. Richiesta buona salute e resistenza all'alta quota.", grounds: []matching.Ground{gHealth}},
	{name: "a note for both sexes does not excuse an explicit exclusion",
		text: "Barista uomo. Annuncio rivolto a entrambi i sessi.", grounds: []matching.Ground{gSex}, excerpt: "uomo"},
}

var lawfulAds = []adCase{
	{name: "a double title", text: "Cameriere/a di sala per ristorante in centro a Trento."},
	{name: "a feminine title with (m/f)", text: "Cerchiamo cameriera (m/f) per il servizio serale."},
	{name: "a feminine title with a note for both sexes",
		text: "Cerchiamo commessa part-time. L'annuncio è rivolto a entrambi i sessi (L. 903/77)."},
	{name: "a double title in a women's wear shop", text: "Commesso/a per negozio di abbigliamento donna."},
	{name: "both titles written in full", text: "Operatore/operatrice socio-sanitario per RSA a Pergine."},
	{name: "a double form of ragazzo", text: "Cerchiamo ragazzo/a per consegne a domicilio, automunito/a."},
	{name: "hostess or steward", text: "Hostess/steward per fiere ed eventi."},
	{name: "a masculine generic title", text: "Cercasi cameriere per la stagione estiva sul Garda."},
	{name: "boys and girls", text: "Cerchiamo ragazzi e ragazze per volantinaggio nel weekend."},
	{name: "the lady cared for", text: "Badante per signora anziana non autosufficiente, convivente."},
	{name: "orders, not shop assistants", text: "Project manager per la gestione delle commesse pubbliche."},
	{name: "a site manager coordinating men and machines", text: "Capocantiere per il coordinamento di uomini e mezzi."},
	{name: "a coach for a women's under-17 team", text: "Allenatore/allenatrice per squadra di calcio femminile under 17."},
	{name: "school support for a disabled boy", text: "Supporto scolastico a ragazzo con disabilità, 10 ore settimanali."},
	{name: "the apprenticeship band with an apprenticeship", contract: "apprenticeship",
		text: "Apprendista meccanico, età 18-29 anni."},
	{name: "under 30 with an apprenticeship", contract: "apprenticeship",
		text: "Cerchiamo under 30 da inserire con contratto di apprendistato."},
	{name: "the first-level apprenticeship band", contract: "apprenticeship",
		text: "Apprendistato per la qualifica professionale, età fino a 25 anni."},
	{name: "a young company", text: "Giovane azienda trentina cerca sviluppatore front-end."},
	{name: "a young and dynamic team", text: "Entrerai in un team giovane e dinamico."},
	{name: "the average gAge of the staff", text: "L'età media del nostro team è di 30 anni."},
	{name: "years of experience", text: "Richiesti almeno 3 anni di esperienza nel ruolo."},
	{name: "a range of years of experience", text: "Esperienza di 10-15 anni nel settore alberghiero."},
	{name: "a six-month contract", text: "Contratto a tempo determinato di 6 mesi, rinnovabile."},
	{name: "the company's years of history", text: "Azienda con 30 anni di storia nel settore del legno cerca falegname."},
	{name: "on the market for over 40 years", text: "Presente sul mercato da oltre 40 anni, l'azienda cerca un tornitore."},
	{name: "the gAge of the children", text: "Educatore per bambini in età prescolare (3-6 anni)."},
	{name: "no gAge limit", text: "Nessun limite di età: valutiamo tutte le candidature."},
	{name: "the legal gAge for serving alcohol", text: "Maggiorenne, età minima 18 anni per la somministrazione di alcolici."},
	{name: "a stated level of Italian", text: "Ottima conoscenza della lingua italiana (livello C1) e del tedesco (B2)."},
	{name: "English at native level", text: "Conoscenza dell'inglese a livello madrelingua."},
	{name: "a residence permit", text: "In possesso di regolare permesso di soggiorno per motivi di lavoro."},
	{name: "foreigners with a permit welcome",
		text: "Impresa edile assume muratori; si accettano anche cittadini non comunitari con permesso di soggiorno."},
	{name: "EU and non-EU workers", text: "Agenzia seleziona lavoratori comunitari ed extracomunitari per la raccolta delle mele."},
	{name: "Italian cuisine", text: "Cuoco/a esperto/a di cucina italiana e trentina."},
	{name: "a teacher of Catholic religion", text: "Insegnante di religione cattolica per scuola primaria paritaria."},
	{name: "fitness assessed by the occupational doctor",
		text: "Idoneità alla mansione accertata dal medico competente (D.Lgs. 81/2008)."},
	{name: "a post reserved to the protected categories",
		text: "Posizione riservata alle categorie protette ex L. 68/99, iscritti al collocamento mirato."},
	{name: "travel and flexible hours", text: "Flessibilità oraria e disponibilità a trasferte in Italia e all'estero."},
	{name: "a maternity cover", text: "Sostituzione maternità di 12 mesi in ufficio amministrativo."},
	{name: "grooming and a uniform", text: "Presenza curata e attenzione all'igiene personale; divisa fornita dall'azienda."},
	{name: "work at height", text: "Lavori in altezza con piattaforma aerea, patentino PLE."},
	{name: "an equal-opportunity statement",
		text: "Selezioniamo senza distinzione di età, sesso, orientamento sessuale, religione, origine etnica o disabilità."},
	{name: "an LGBT-friendly workplace", text: "Ambiente LGBT+ friendly, buoni pasto e welfare aziendale."},
	{name: "single sign-on", text: "Sviluppatore backend Go con esperienza di single sign-on e OAuth."},
	{name: "older people welcome", text: "Cerchiamo persone motivate, senza limiti di età, anche over 50."},
	{name: "the teenagers an educator works with",
		text: "Cooperativa cerca educatori per progetti di educativa di strada rivolti a ragazzi dai 14 ai 18 anni."},
	{name: "young people in an apprenticeship", contract: "apprenticeship",
		text: "Offriamo contratto di apprendistato per giovani dai 18 ai 29 anni."},
	{name: "a machine, not a woman", text: "Operaio addetto alla piegatrice, lettura del disegno tecnico."},
	{name: "a custard, not a pastry cook", text: "Chef de partie con conoscenza della pasticceria di base (crema pasticcera, frolla)."},
	{name: "health surveillance by the occupational doctor",
		text: "Lo stato di salute dei lavoratori è tutelato dalla sorveglianza sanitaria del medico competente."},
}

func TestCheckAdFindsTheGroundsOfEachSentence(t *testing.T) {
	if n := len(flaggedAds) + len(lawfulAds); n < 60 || len(lawfulAds) < 25 {
		t.Fatalf("%d sentences, %d lawful: the table needs at least 60, 25 of them lawful", n, len(lawfulAds))
	}
	for _, tc := range append(slices.Clone(flaggedAds), lawfulAds...) {
		t.Run(tc.name, func(t *testing.T) {
			found := matching.CheckAd(tc.text, tc.contract)
			got := map[matching.Ground]bool{}
			for _, f := range found {
				got[f.Ground] = true
				if f.Law != f.Ground.Law() || f.Explanation == "" || !strings.Contains(tc.text, f.Excerpt) {
					t.Errorf("finding %+v: want the ground's law, an explanation and an excerpt of the text", f)
				}
			}
			want := map[matching.Ground]bool{}
			for _, g := range tc.grounds {
				want[g] = true
			}
			if !mapsEqual(got, want) {
				t.Errorf("CheckAd(%q, %q) = %s, want grounds %v", tc.text, tc.contract, describeFindings(found), tc.grounds)
			}
			if tc.excerpt != "" && !slices.ContainsFunc(found, func(f matching.AdFinding) bool { return f.Excerpt == tc.excerpt }) {
				t.Errorf("CheckAd(%q) = %s, want the excerpt %q", tc.text, describeFindings(found), tc.excerpt)
			}
		})
	}
}

func TestCheckAdReportsSexAndAgeInTheIssuesExample(t *testing.T) {
	found := matching.CheckAd("Cercasi barista donna, età massima 35 anni", "")
	want := []matching.AdFinding{
		{Ground: gSex, Excerpt: "donna", Law: "D.Lgs. 198/2006, art. 27"},
		{Ground: gAge, Excerpt: "età massima 35 anni", Law: "D.Lgs. 216/2003, art. 3 (dir. 2000/78/CE); D.Lgs. 276/2003, art. 10"},
	}
	if len(found) != len(want) {
		t.Fatalf("CheckAd = %s, want %d findings", describeFindings(found), len(want))
	}
	for i, w := range want {
		f := found[i]
		if f.Ground != w.Ground || f.Excerpt != w.Excerpt || f.Law != w.Law || f.Explanation == "" {
			t.Errorf("finding %d = %+v, want %+v with an explanation", i, f, w)
		}
	}
}

func TestCheckAdExplainsTheApprenticeshipBand(t *testing.T) {
	tests := []struct {
		name, contract, text, want string
	}{
		{"the band on another contract points to apprenticeship", "fixed_term", "Età tra 18 e 29 anni.", "solo per il contratto di apprendistato"},
		{"the band without a contract points to apprenticeship", "", "Fino a 29 anni.", "solo per il contratto di apprendistato"},
		{"another limit on an apprenticeship names the legal band", "apprenticeship", "Età massima 27 anni.", "18–29 anni"},
		{"an ordinary limit asks for experience instead", "permanent", "Età massima 45 anni.", "esperienza"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := matching.CheckAd(tt.text, tt.contract)
			if len(found) != 1 || found[0].Ground != gAge || !strings.Contains(found[0].Explanation, tt.want) {
				t.Fatalf("CheckAd(%q, %q) = %s, want one gAge finding explaining %q", tt.text, tt.contract, describeFindings(found), tt.want)
			}
		})
	}
}

func TestCheckAdQuotesTheOriginalText(t *testing.T) {
	text := "CERCASI COMMESSA con bell’aspetto,\n  ETÀ   MASSIMA 30 ANNI"
	found := matching.CheckAd(text, "")
	var excerpts []string
	for _, f := range found {
		excerpts = append(excerpts, f.Excerpt)
	}
	want := []string{"COMMESSA", "bell’aspetto", "ETÀ   MASSIMA 30 ANNI"}
	if !slices.Equal(excerpts, want) {
		t.Errorf("excerpts = %q, want %q", excerpts, want)
	}
}

func TestCheckAdListsFindingsInOrderWithoutDuplicates(t *testing.T) {
	text := `Cercasi Commessa
Negozio di abbigliamento in centro a Trento cerca commessa giovane, età compresa tra 20 e 30 anni, bella presenza,
preferibilmente nubile e senza figli. Solo italiane, madrelingua italiana. Richiesta sana e robusta costituzione,
no invalidi. Cattolica praticante, non iscritta al sindacato. Inviare CV con foto. Età massima 30 anni.`
	found := matching.CheckAd(text, "")
	if len(found) < 10 {
		t.Fatalf("CheckAd found only %s", describeFindings(found))
	}
	type at struct {
		ground matching.Ground
		pos    int
	}
	seen := map[at]bool{}
	cursor := 0
	for _, f := range found {
		i := strings.Index(text[cursor:], f.Excerpt)
		if i < 0 {
			t.Fatalf("finding %+v is not after the previous one: %s", f, describeFindings(found))
		}
		cursor += i
		if seen[at{f.Ground, cursor}] {
			t.Errorf("finding %+v is reported twice", f)
		}
		seen[at{f.Ground, cursor}] = true
	}
	grounds := map[matching.Ground]bool{}
	for _, f := range found {
		grounds[f.Ground] = true
	}
	for _, g := range []matching.Ground{gSex, gAge, gAppearance, gFamily, gNationality, gHealth, gDisability, gReligion, gPolitics} {
		if !grounds[g] {
			t.Errorf("no finding on %s in %s", g, describeFindings(found))
		}
	}
}

func TestCheckAdOfACleanAdIsEmptyNotNil(t *testing.T) {
	for _, text := range []string{"", "Cuoco/a capo partita per ristorante a Trento, 3 anni di esperienza."} {
		found := matching.CheckAd(text, "permanent")
		if found == nil || len(found) != 0 {
			t.Errorf("CheckAd(%q) = %#v, want an empty slice", text, found)
		}
	}
}

func TestEveryGroundHasALabelAndALaw(t *testing.T) {
	grounds := matching.Grounds()
	if len(grounds) != 10 {
		t.Fatalf("Grounds() = %v, want the ten grounds", grounds)
	}
	for _, g := range grounds {
		if g.Law() == "" || g.Label() == string(g) {
			t.Errorf("ground %s: law %q, label %q", g, g.Law(), g.Label())
		}
	}
	if matching.Ground("other").Law() != "" {
		t.Error("an unknown ground has a law")
	}
}

func FuzzCheckAdQuotesTheTextInOrder(f *testing.F) {
	for _, tc := range flaggedAds {
		f.Add(tc.text, tc.contract)
	}
	f.Add("ETÀ  MASSIMA\t35 anni, bell’aspetto \xff donna", "")
	f.Fuzz(func(t *testing.T, text, contract string) {
		cursor := 0
		for _, f := range matching.CheckAd(text, contract) {
			i := strings.Index(text[cursor:], f.Excerpt)
			if f.Excerpt == "" || i < 0 || f.Law == "" || f.Explanation == "" {
				t.Fatalf("CheckAd(%q) gave %+v, not an excerpt of the text after the previous one", text, f)
			}
			cursor += i
		}
	})
}

func mapsEqual(a, b map[matching.Ground]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func describeFindings(fs []matching.AdFinding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, string(f.Ground)+" «"+f.Excerpt+"»")
	}
	return strings.Join(parts, ", ")
}
