package ui

import (
	"strconv"

	"incontro/matching"
)

// monitoringMessages are the strings of the monitoring page (keys "mon.").
// The definitions of the figures are matching's (monitoringDefinitions):
// their English text is taken from there, so that the page quotes the
// definitions the JSON answer and the downloads give; the Italian is their
// translation.
func monitoringMessages() []Message {
	out := []Message{
		{"mon.title", "Monitoraggio del servizio", "Service monitoring"},
		{"mon.lead", "Come è stato erogato il servizio di incontro domanda-offerta (schede 4C e 4D): volumi, tempi rispetto allo standard, esiti.", "How the job-matching service (cards 4C and 4D) was delivered: volumes, times against the standard, outcomes."},
		{"mon.period_text", "dal %s al %s", "from %s to %s"},
		{"mon.scope.all", "Tutti gli enti", "Every provider"},
		{"mon.filters", "Periodo e raggruppamento", "Period and grouping"},
		{"mon.from", "Dal giorno", "From"},
		{"mon.to", "Al giorno", "To"},
		{"mon.provider", "Ente", "Provider"},
		{"mon.operator", "Operatore", "Operator"},
		{"mon.unassigned", "Senza operatore", "No operator"},
		{"mon.total", "Totale", "Total"},
		{"mon.group", "Confronto per", "Compare by"},
		{"mon.group.provider", "Ente", "Provider"},
		{"mon.group.operator", "Operatore", "Operator"},
		{"mon.apply", "Mostra il rapporto", "Show the report"},
		{"mon.presets", "Periodi rapidi:", "Quick periods:"},
		{"mon.preset.this_month", "Questo mese", "This month"},
		{"mon.preset.last_month", "Mese scorso", "Last month"},
		{"mon.preset.this_quarter", "Questo trimestre", "This quarter"},
		{"mon.preset.this_year", "Quest'anno", "This year"},
		{"mon.preset.last_12_months", "Ultimi 12 mesi", "Last 12 months"},
		{"mon.fix_filter", "Correggi il periodo per vedere il rapporto.", "Correct the period to see the report."},
		{"mon.err.not_date", "non è una data: scrivila come AAAA-MM-GG.", "is not a date: write it as YYYY-MM-DD."},
		{"mon.err.before", "viene prima del giorno di inizio.", "comes before the first day."},
		{"mon.err.too_long", "il periodo deve essere più breve di %d anni.", "the period must be shorter than %d years."},
		{"mon.err.provider", "scegli un ente dall'elenco.", "choose a provider from the list."},
		{"mon.err.group", "scegli ente o operatore.", "choose provider or operator."},

		{"mon.downloads", "Scarica il rapporto", "Download the report"},
		{"mon.downloads_hint", "Gli stessi dati, con lo stesso periodo ed ente, da aprire in un foglio di calcolo. I nomi delle colonne e le definizioni sono in inglese.", "The same figures, for the same period and provider, to open in a spreadsheet. The column names and the definitions are in English."},
		{"mon.download_csv", "CSV (valori separati da virgola)", "CSV (comma-separated values)"},
		{"mon.download_xlsx", "XLSX (Excel)", "XLSX (Excel)"},
		{"mon.toc", "In questa pagina", "On this page"},
		{"mon.summary", "In sintesi", "At a glance"},
		{"mon.about", "Come si leggono i dati", "How to read the figures"},
		{"mon.preamble", "Il periodo va dal primo giorno alle 00:00 al giorno dopo l'ultimo alle 00:00, nel fuso orario di Trento (Europe/Rome); «nel periodo» vuol dire dall'inizio compreso alla fine esclusa. Una richiesta conta per l'ente che la gestisce e per l'operatore assegnato (una richiesta senza operatore conta come «senza operatore»); i suoi candidati, contatti, esclusioni e tempi contano dove conta la richiesta. Le quote sono arrotondate a 4 decimali (qui in percentuale) e le mediane a 2; una quota o una mediana su nessun valore è vuota (n.d.). La mediana di un numero pari di valori è la media dei due centrali.", matching.MonitoringPreamble()},
		{"mon.none", "n.d.", "n/a"},
		{"mon.chart.empty", "Nessun dato da disegnare per questo periodo.", "No data to draw for this period."},
		{"mon.requests", "Richieste", "Requests"},
		{"mon.entries", "Candidati", "Candidates"},
		{"mon.outcome", "Esito", "Outcome"},
		{"mon.reason", "Motivo", "Reason"},
		{"mon.stage", "Passo", "Step"},
		{"mon.phase", "Fase", "Phase"},
		{"mon.month", "Mese", "Month"},
		{"mon.days", "Giorni", "Days"},

		{"mon.requests.title", "Richieste aperte e chiuse", "Requests opened and closed"},
		{"mon.requests.opened", "Richieste aperte", "Requests opened"},
		{"mon.requests.closed", "Richieste chiuse", "Requests closed"},
		{"mon.requests.caption", "Richieste aperte e chiuse nel periodo, le chiuse per esito", "Requests opened and closed in the period, the closed ones by outcome"},
		{"mon.requests.reasons_caption", "Richieste chiuse per esito e motivo", "Requests closed by outcome and reason"},
		{"mon.trend.requests_chart", "Richieste aperte e chiuse per mese", "Requests opened and closed per month"},
		{"mon.trend.caption", "Il periodo mese per mese", "The period month by month"},
		{"mon.trend.help", "Ogni riga è il rapporto di quel mese (il primo e l'ultimo tagliati al periodo): le ore sono quelle delle richieste chiuse nel mese.", "Each row is the report of that month (the first and the last cut to the period): the hours are those of the requests closed in the month."},
		{"mon.trend.hours_chart", "Ore 4C per richiesta (mediana) per mese", "4C hours per request (median) per month"},
		{"mon.trend.hours_help", "La fascia verde è lo standard della scheda 4C; un mese senza richieste chiuse non ha colonna.", "The green band is card 4C's standard; a month with no request closed has no column."},

		{"mon.first.title", "Tempo fino alla prima rosa", "Time to the first shortlist"},
		{"mon.first.median_days", "Giorni fino alla prima rosa (mediana)", "Days to the first shortlist (median)"},
		{"mon.first.text", "Mediana: %s giorni, su %s richieste presentate per la prima volta nel periodo.", "Median: %s days, over %s requests first presented in the period."},
		{"mon.first.chart_providers", "Giorni fino alla prima rosa (mediana) per ente", "Days to the first shortlist (median) per provider"},
		{"mon.first.chart_operators", "Giorni fino alla prima rosa (mediana) per operatore", "Days to the first shortlist (median) per operator"},
		{"mon.first.caption_providers", "Giorni fino alla prima rosa per ente", "Days to the first shortlist per provider"},
		{"mon.first.caption_operators", "Giorni fino alla prima rosa per operatore", "Days to the first shortlist per operator"},

		{"mon.hours.title", "Ore per richiesta rispetto allo standard", "Hours per request against the standard"},
		{"mon.hours.text", "%s richieste chiuse con le ore contate; %s con ogni fase nella sua fascia (%s); ore totali per richiesta, mediana: %s.", "%s requests closed with their hours counted; %s with every phase within its band (%s); total hours per request, median: %s."},
		{"mon.hours.chart", "Ore 4C per richiesta: quante richieste per fascia oraria", "4C hours per request: how many requests in each hour band"},
		{"mon.hours.band", "%d–%d h", "%d–%d h"},
		{"mon.hours.band_label", "Standard %s", "Standard %s"},
		{"mon.hours.bin", "%d–%d h", "%d–%d h"},
		{"mon.hours.bin_above", "oltre %d h", "over %d h"},
		{"mon.hours.bin_col", "Ore 4C", "4C hours"},
		{"mon.hours.in_band", "standard", "standard"},
		{"mon.hours.bins_caption", "Richieste per ore 4C (standard %s)", "Requests by 4C hours (standard %s)"},
		{"mon.hours.phases_caption", "Ore per fase rispetto alla sua fascia", "Hours per phase against its band"},
		{"mon.hours.band_col", "Fascia", "Band"},
		{"mon.hours.requests", "Richieste con le ore", "Requests with hours"},
		{"mon.hours.under", "Sotto", "Under"},
		{"mon.hours.within", "Nella fascia", "Within"},
		{"mon.hours.over", "Sopra", "Over"},
		{"mon.hours.within_share", "Quota nella fascia", "Share within"},
		{"mon.hours.median", "Ore (mediana)", "Hours (median)"},
		{"mon.hours.median_4c", "Ore 4C (mediana)", "4C hours (median)"},
		{"mon.hours.within_4c", "Richieste nella fascia 4C", "Requests within the 4C band"},
		{"mon.hours.median_total", "Ore totali per richiesta (mediana)", "Total hours per request (median)"},

		{"mon.contacts.title", "Contatti e disponibilità", "Contacts and availability"},
		{"mon.contacts.caption", "Contatti con i candidati", "Contacts with candidates"},
		{"mon.contacts.contacts", "Contatti", "Contacts"},
		{"mon.contacts.requests", "Richieste con contatti", "Requests with contacts"},
		{"mon.contacts.per_request", "Contatti per richiesta", "Contacts per request"},
		{"mon.availability.caption", "Disponibilità verificata", "Availability checked"},
		{"mon.availability.contacted", "Candidati contattati", "Candidates contacted"},
		{"mon.availability.available", "Candidati disponibili", "Candidates available"},
		{"mon.availability.rate", "Tasso di disponibilità", "Availability rate"},

		{"mon.funnel.title", "Dall'individuazione all'assunzione", "From finding to hiring"},
		{"mon.funnel.chart", "Candidati per passo, dall'individuazione all'assunzione", "Candidates per step, from found to hired"},
		{"mon.funnel.caption", "Candidati delle richieste aperte nel periodo, per passo raggiunto", "Candidates of the requests opened in the period, by the step they reached"},
		{"mon.funnel.of_found", "Sul totale individuati", "Of those found"},

		{"mon.rejections.title", "Esclusioni e motivi", "Rejections and reasons"},
		{"mon.rejections.text", "%s candidati esclusi nel periodo: %s dal datore di lavoro, %s dal servizio.", "%s candidates rejected in the period: %s by the employer, %s by the service."},
		{"mon.rejections.chart", "Candidati esclusi per motivo", "Candidates rejected per reason"},
		{"mon.rejections.caption", "Candidati esclusi per motivo", "Candidates rejected per reason"},
		{"mon.rejections.by_employer", "Dal datore", "By the employer"},
		{"mon.rejections.none", "Nessun candidato escluso nel periodo.", "No candidate rejected in the period."},
		{"mon.reason.none", "Motivo non indicato", "No reason given"},

		{"mon.self.title", "Autocandidature", "Self-applications"},
		{"mon.self.entries", "Candidati inseriti nel periodo", "Candidates added in the period"},
		{"mon.self.self", "Di cui autocandidature", "Of which self-applications"},
		{"mon.self.share", "Quota di autocandidature", "Share of self-applications"},

		{"mon.overdue.title", "Riscontri in ritardo", "Overdue feedback"},
		{"mon.overdue.reminder", "Richieste senza riscontro da almeno %d giorni (sollecito dovuto)", "Requests without feedback for at least %d days (reminder due)"},
		{"mon.overdue.close", "Richieste senza riscontro da almeno %d giorni (chiusura proposta)", "Requests without feedback for at least %d days (closing proposed)"},
		{"mon.overdue.requests", "Richieste con il sollecito dovuto:", "Requests with a reminder due:"},
		{"mon.overdue.request", "n. %d", "no. %d"},
		{"mon.overdue.short", "Solleciti dovuti", "Reminders due"},

		{"mon.groups.providers", "Confronto tra gli enti", "Providers compared"},
		{"mon.groups.operators", "Confronto tra gli operatori", "Operators compared"},
		{"mon.groups.none", "Nessuna attività nel periodo.", "No activity in the period."},
		{"mon.groups.help", "Ogni riga applica le definizioni qui sopra alle richieste dell'ente o dell'operatore assegnato.", "Each row applies the definitions above to the requests of the provider or of the assigned operator."},
	}
	months := []string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"}
	en := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	for i := range months {
		out = append(out, Message{"mon.month." + strconv.Itoa(i+1), months[i], en[i]})
	}
	it := monitoringDefinitionsIt()
	for _, d := range matching.MonitoringDefinitions() {
		out = append(out, Message{"mon.def." + d.Section, it[d.Section], d.Text})
	}
	return out
}

// monitoringDefinitionsIt translates the definitions of the figures
// (matching's monitoringDefinitions) section by section, in the words of the
// page's labels. A section without its translation stops the catalogue.
func monitoringDefinitionsIt() map[string]string {
	return map[string]string{
		"requests":                      "«Richieste aperte» conta le richieste la cui apertura cade nel periodo; «richieste chiuse» conta quelle la cui chiusura cade nel periodo, qualunque ne sia l'esito.",
		"closed_by_outcome":             "Le richieste chiuse nel periodo, per esito: coperta, non coperta, ritirata dal datore di lavoro, annullata.",
		"closed_by_reason":              "Le richieste chiuse nel periodo, per esito e motivo di chiusura (nei file scaricati: esito:motivo, per esempio not_filled:no_answer).",
		"first_shortlist":               "«Richieste» conta le richieste la cui prima presentazione di una rosa (la prima presentazione di una qualsiasi delle sue versioni) cade nel periodo, ovunque cada la loro apertura; la mediana è quella, su quelle richieste, dei giorni (di 24 ore, con i decimali) dall'apertura della richiesta a quella prima presentazione.",
		"hours":                         "Le richieste chiuse nel periodo, tranne le annullate (doppioni ed errori, a cui lo standard non si applica), ciascuna con tutto il tempo degli operatori mai registrato su di essa. Le richieste con ogni fase (la 4C, e le due fasi 4D per una richiesta con 4D) entro la sua fascia sono contate a parte, e la loro quota è questo numero diviso per le richieste; le ore totali per richiesta sono la mediana delle loro ore in tutte le fasi insieme.",
		"hours_4C":                      "Le stesse richieste, con il loro tempo 4C rispetto alla fascia da 4 a 8 ore: «sotto» conta quelle con meno di 4 h; «nella fascia» quelle con 4 h fino a 8 h, estremi compresi; «sopra» quelle con più di 8 h; la quota nella fascia è «nella fascia» diviso per le richieste; la mediana è quella delle loro ore 4C.",
		"hours_4D_verification":         "Le stesse richieste che hanno le fasi 4D, con il tempo di verifica delle competenze rispetto alla fascia da 2 a 6 ore: «sotto» meno di 2 h; «nella fascia» da 2 h a 6 h, estremi compresi; «sopra» più di 6 h; quota e mediana come per la 4C.",
		"hours_4D_selection":            "Le stesse richieste che hanno le fasi 4D, con il tempo di supporto alla selezione rispetto alla fascia da 2 a 6 ore: «sotto» meno di 2 h; «nella fascia» da 2 h a 6 h, estremi compresi; «sopra» più di 6 h; quota e mediana come per la 4C.",
		"contacts":                      "«Contatti» conta i contatti con i candidati (qualunque canale ed esito) registrati nel periodo; «richieste con contatti» conta le richieste con almeno uno di quei contatti; «contatti per richiesta» è il rapporto tra i due.",
		"availability":                  "Sui candidati dell'imbuto qui sotto, «candidati contattati» conta quelli arrivati al passo dei contattati e «candidati disponibili» quelli arrivati al passo dei disponibili; il tasso è disponibili diviso contattati.",
		"funnel":                        "I candidati in lavorazione sulle richieste aperte nel periodo, seguiti fino al momento del rapporto. Un candidato conta in ogni passo fino al più avanzato raggiunto nella storia delle sue fasi, nell'ordine individuato, contattato, disponibile, presentato, colloquio svolto, assunto: un passo conta i candidati che ne hanno raggiunto la fase o una successiva. Ogni candidato è individuato; «non disponibile» e «non raggiungibile» contano come contattato; «in rosa» conta come disponibile; «escluso» e «ritirato» non aggiungono passi.",
		"rejections":                    "I candidati esclusi nel periodo, ciascuno una volta: quelli passati alla fase «escluso» nel periodo, o per cui il datore di lavoro ha risposto «non selezionato» nel periodo. «Dal datore» conta quelli con la risposta «non selezionato» nel periodo; «dal servizio» gli altri, esclusi dall'operatore.",
		"rejection_reasons":             "Gli esclusi per motivo: il motivo è quello dell'ultima esclusione del candidato nel periodo (la risposta del datore di lavoro, quando le due cadono nello stesso momento).",
		"rejection_reasons_by_employer": "Come per i motivi, contando i soli esclusi dal datore di lavoro.",
		"self_applications":             "«Candidati inseriti nel periodo» conta i candidati entrati in lavorazione nel periodo; «autocandidature» quelli arrivati candidandosi da sé a un'offerta; la quota è autocandidature diviso candidati inseriti.",
		"overdue_feedback":              "Una fotografia al momento del rapporto, qualunque sia il periodo: le richieste aperte in attesa di riscontro su una rosa presentata, senza riscontri del datore di lavoro dall'ultima presentazione. Il sollecito è dovuto per quelle presentate da almeno il periodo di sollecito (INCONTRO_FEEDBACK_REMINDER_DAYS, 15 giorni se non configurato); la chiusura per mancata risposta è proposta per quelle presentate da almeno il periodo di rinuncia (INCONTRO_FEEDBACK_GIVEUP_DAYS, 45 giorni).",
	}
}
