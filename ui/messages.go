package ui

import "slices"

// Message is an entry of the pages' message catalogue: a key, the Italian
// text and the English one, as fmt formats of golang.org/x/text/message
// (numbers come out in each language's way).
type Message struct {
	Key string
	It  string
	En  string
}

// Messages returns the catalogue of every UI string. Keys are grouped by
// page; "error." followed by an English domain message translates that
// message where a page shows it.
func Messages() []Message {
	return slices.Concat(staticMessages(), roleRefusals(), candidateMessages(), workbenchMessages(), requestWorkMessages(),
		noteMessages(),
		monitoringMessages(),
		vacancyMessages(),
		employerMessages(),
		jobseekerMessages(),
	)
}

// roleRefusals translates the refusal of a route to a role, one message
// per role since the role is part of the English message.
func roleRefusals() []Message {
	it := map[string]string{"admin": "amministratore", "monitor": "monitoraggio", "operator": "operatore", "employer": "datore di lavoro", "jobseeker": "candidato"}
	en := map[string]string{"admin": "administrator", "monitor": "monitoring", "operator": "operator", "employer": "employer", "jobseeker": "jobseeker"}
	var out []Message
	for _, r := range []string{"admin", "monitor", "operator", "employer", "jobseeker"} {
		out = append(out, Message{"error.your role (" + r + ") may not do this",
			"Il tuo ruolo (" + it[r] + ") non dà accesso a questa pagina.", "Your role (" + en[r] + ") gives no access to this page."})
	}
	return out
}

func staticMessages() []Message {
	return []Message{
		// Layout.
		{"layout.skip", "Vai al contenuto principale", "Skip to main content"},
		{"layout.owner", "Provincia autonoma di Trento", "Autonomous Province of Trento"},
		{"layout.tagline", "Incontro domanda-offerta di lavoro", "Matching jobs and jobseekers"},
		{"layout.footer_services", "Servizi pubblici e accreditati per l'impiego", "Public and accredited employment services"},
		{"layout.language", "Lingua", "Language"},
		{"layout.login", "Accedi", "Sign in"},
		{"layout.logout", "Esci", "Sign out"},
		{"layout.nav", "Navigazione principale", "Main navigation"},
		{"layout.nav_toggle", "Mostra o nascondi la navigazione", "Show or hide the navigation"},
		{"layout.nav_close", "Nascondi la navigazione", "Hide the navigation"},
		{"layout.version", "Versione", "Version"},
		{"layout.status", "Stato del servizio", "Service status"},
		{"layout.copy", "Copia", "Copy"},
		{"layout.copied", "Copiato", "Copied"},
		{"layout.secret_once", "Copialo adesso e conservalo in un luogo sicuro: non sarà più mostrato.", "Copy it now and keep it somewhere safe: it will not be shown again."},
		{"number", "%d", "%d"},

		// Roles and account states.
		{"role.admin", "Amministratore", "Administrator"},
		{"role.monitor", "Monitoraggio provinciale", "Provincial monitoring"},
		{"role.operator", "Operatore", "Operator"},
		{"role.employer", "Datore di lavoro", "Employer"},
		{"role.jobseeker", "Candidato", "Jobseeker"},
		{"status.active", "Attivo", "Active"},
		{"status.pending", "In attesa di conferma", "Awaiting confirmation"},
		{"status.disabled", "Disattivato", "Disabled"},

		// Navigation.
		{"nav.home", "Home", "Home"},
		{"nav.workbench", "Scrivania", "Workbench"},
		{"nav.employer", "La mia impresa", "My company"},
		{"nav.jobseeker", "Il mio profilo", "My profile"},
		{"nav.reports", "Monitoraggio", "Reports"},
		{"nav.accounts", "Account utenti", "User accounts"},
		{"nav.account", "Il mio account", "My account"},
		{"nav.login", "Accedi", "Sign in"},
		{"nav.signup", "Registrati", "Sign up"},

		// Forms.
		{"form.errors", "Correggi questi errori:", "Please correct these errors:"},
		{"form.email", "Indirizzo e-mail", "E-mail address"},
		{"form.password", "Password", "Password"},
		{"form.current_password", "Password attuale", "Current password"},
		{"form.new_password", "Nuova password", "New password"},
		{"form.password_hint", "Almeno 12 caratteri. Una frase facile da ricordare va benissimo.", "At least 12 characters. A phrase you remember easily is fine."},
		{"form.given_name", "Nome", "Given name"},
		{"form.family_name", "Cognome", "Family name"},
		{"form.your_name", "Nome e cognome", "Your full name"},
		{"form.home_municipality", "Comune di residenza o domicilio", "Municipality where you live"},
		{"form.choose_municipality", "Scegli il comune", "Choose the municipality"},
		{"form.mobility_km", "Distanza che puoi percorrere (km)", "Distance you can travel (km)"},
		{"form.mobility_km_hint", "Facoltativo: se lo lasci vuoto sono 20 km. Puoi cambiarlo nel tuo curriculum.", "Optional: 20 km if left empty. You can change it in your CV."},
		{"form.company_name", "Ragione sociale", "Company name"},
		{"form.tax_code", "Codice fiscale dell'impresa", "Company tax code (codice fiscale)"},
		{"form.tax_code_hint", "11 cifre, oppure 16 caratteri per una ditta individuale.", "11 digits, or 16 characters for a sole trader."},
		{"form.vat_number", "Partita IVA", "VAT number (partita IVA)"},
		{"form.ateco_code", "Codice ATECO dell'attività", "ATECO code of the business"},
		{"form.ateco_code_hint", "Per esempio 56.10.11 (ristorazione con somministrazione).", "For example 56.10.11 (restaurants)."},
		{"form.company_municipality", "Comune della sede", "Municipality of the premises"},
		{"form.address", "Indirizzo", "Address"},
		{"form.company_email", "E-mail dell'impresa", "Company e-mail"},
		{"form.phone", "Telefono", "Phone"},
		{"form.contact_person", "Persona di riferimento", "Contact person"},
		{"form.website", "Sito web", "Website"},
		{"form.optional", "Facoltativo.", "Optional."},

		// Home.
		{"home.title", "Incontro domanda-offerta di lavoro", "Matching jobs and jobseekers"},
		{"home.lead", "incontro è il servizio dei servizi pubblici per l'impiego della Provincia autonoma di Trento che fa incontrare domanda e offerta di lavoro. Raccoglie le offerte dei datori di lavoro e i profili dei candidati e aiuta gli operatori a proporre le persone più adatte, seguendo ogni richiesta fino all'esito.",
			"incontro is the service of the public employment services of the Autonomous Province of Trento that matches job offers with jobseekers. It collects employers' vacancies and candidates' profiles and helps operators propose the people who fit best, following every request to its outcome."},
		{"home.signup", "Registrati", "Sign up"},
		{"home.your_area", "Vai alla tua area", "Go to your area"},
		{"home.figures_title", "Il servizio in cifre", "The service in figures"},
		{"home.providers", "Enti erogatori", "Providers"},
		{"home.operators", "Operatori", "Operators"},
		{"home.employers", "Datori di lavoro", "Employers"},
		{"home.candidates", "Candidati", "Candidates"},
		{"home.open_vacancies", "Offerte di lavoro aperte", "Open vacancies"},
		{"home.requests_in_progress", "Richieste in corso", "Requests in progress"},
		{"home.no_figures", "I dati non sono momentaneamente disponibili.", "The figures are not available at the moment."},
		{"home.ops_title", "Per chi gestisce il servizio", "For those who run the service"},
		{"home.healthz", "il processo è attivo", "the process is alive"},
		{"home.readyz", "il servizio è pronto: database raggiungibile, schema aggiornato, indice aperto", "the service is ready: database reachable, schema current, index open"},
		{"home.metrics", "metriche in formato Prometheus", "metrics in the Prometheus format"},

		// Log-in.
		{"login.title", "Accedi", "Sign in"},
		{"login.lead", "Accedi con l'indirizzo e-mail e la password del tuo account.", "Sign in with your account's e-mail address and password."},
		{"login.required", "Per vedere questa pagina devi prima accedere.", "You need to sign in to see this page."},
		{"login.signed_out", "Sei uscito. A presto!", "You have signed out. See you soon!"},
		{"login.submit", "Accedi", "Sign in"},
		{"login.no_account", "Non hai un account?", "No account yet?"},
		{"login.signup_link", "Registrati", "Sign up"},
		{"login.wrong", "Indirizzo e-mail o password errati.", "Wrong e-mail address or password."},
		{"login.rate_limited", "Troppi tentativi non riusciti: riprova tra %d secondi.", "Too many failed attempts: try again in %d seconds."},

		// Sign-up.
		{"signup.title", "Registrati", "Sign up"},
		{"signup.lead", "Crea il tuo account per usare incontro. Dopo la registrazione ti mandiamo un collegamento per confermare l'indirizzo e-mail.", "Create your account to use incontro. After signing up we send you a link to confirm your e-mail address."},
		{"signup.jobseeker_title", "Cerco lavoro", "I am looking for work"},
		{"signup.jobseeker_text", "Tieni aggiornato il tuo curriculum, scegli se può essere proposto ai datori di lavoro e rispondi quando un operatore ti contatta.", "Keep your CV up to date, choose whether it may be proposed to employers, and answer when an operator contacts you."},
		{"signup.jobseeker_cta", "Registrati come candidato", "Sign up as a jobseeker"},
		{"signup.employer_title", "Cerco personale", "I am hiring"},
		{"signup.employer_text", "Registra la tua impresa, pubblica le offerte di lavoro e ricevi dagli operatori una rosa di candidati.", "Register your company, post vacancies and receive a shortlist of candidates from the operators."},
		{"signup.employer_cta", "Registra la tua impresa", "Register your company"},
		{"signup.staff", "Gli account degli operatori e del monitoraggio sono creati dall'amministratore del servizio.", "Operator and monitoring accounts are created by the service's administrator."},
		{"signup.have_account", "Hai già un account?", "Already have an account?"},
		{"signup.login_link", "Accedi", "Sign in"},
		{"signup.jobseeker_page", "Registrati come candidato", "Sign up as a jobseeker"},
		{"signup.jobseeker_lead", "Bastano pochi dati: il curriculum lo completi dopo aver confermato l'indirizzo e-mail. Finché non lo decidi tu, il tuo curriculum non è visibile a nessuno.", "A few details are enough: you complete your CV after confirming your e-mail address. Until you decide otherwise, your CV is visible to nobody."},
		{"signup.employer_page", "Registra la tua impresa", "Register your company"},
		{"signup.employer_lead", "I dati dell'impresa e i tuoi, come primo utente dell'impresa.", "Your company's details and yours, as the company's first user."},
		{"signup.company", "L'impresa", "The company"},
		{"signup.you", "I tuoi dati", "About you"},
		{"signup.credentials", "Accesso", "Signing in"},
		{"signup.submit", "Registrati", "Sign up"},
		{"signup.sent_title", "Controlla la tua e-mail", "Check your e-mail"},
		{"signup.sent_text", "Registrazione ricevuta. Ti abbiamo mandato un collegamento per confermare l'indirizzo e-mail: aprilo per attivare l'account.", "Sign-up received. We have sent you a link to confirm your e-mail address: open it to activate your account."},
		{"signup.sent_expiry", "Il collegamento vale 48 ore e si può usare una volta sola.", "The link works for 48 hours and only once."},

		// E-mail verification.
		{"verified.title", "Indirizzo e-mail confermato", "E-mail address confirmed"},
		{"verified.ok", "Indirizzo e-mail confermato: ora puoi accedere.", "E-mail address confirmed: you can now sign in."},
		{"verified.invalid_title", "Collegamento non valido", "Link not valid"},
		{"verified.invalid", "Il collegamento non è valido oppure è scaduto. Controlla di averlo copiato per intero; i collegamenti valgono 48 ore e si possono usare una sola volta.", "The link is not valid or has expired. Check that you copied all of it; links work for 48 hours and only once."},
		{"verified.expired_help", "Se il collegamento è scaduto, contatta l'assistenza del servizio.", "If the link has expired, contact the service's help desk."},

		// Account.
		{"account.title", "Il mio account", "My account"},
		{"account.name", "Nome", "Name"},
		{"account.role", "Ruolo", "Role"},
		{"account.state", "Stato", "Status"},
		{"account.actions", "Azioni", "Actions"},
		{"account.password_title", "Cambia la password", "Change your password"},
		{"account.password_text", "Dopo il cambio restano aperte solo questa sessione e le integrazioni con token API.", "After the change only this session and the integrations using API tokens stay signed in."},
		{"account.password_submit", "Cambia la password", "Change password"},
		{"account.password_changed", "Password cambiata. Le altre sessioni aperte sono state chiuse: %s.", "Password changed. Other open sessions ended: %s."},
		{"account.tokens_title", "Token API", "API tokens"},
		{"account.tokens_text", "Un token API permette a un programma di usare incontro con il tuo ruolo, senza la tua password. Revoca i token che non usi più.", "An API token lets a program use incontro with your role, without your password. Revoke the tokens you no longer use."},
		{"account.token_name", "Nome del token", "Token name"},
		{"account.token_name_hint", "Per ricordarti a cosa serve, per esempio «esportazione mensile».", "To remember what it is for, for example “monthly export”."},
		{"account.token_create", "Crea un token", "Create a token"},
		{"account.token_created", "Token «%s» creato.", "Token “%s” created."},
		{"account.token_value", "Il tuo nuovo token API", "Your new API token"},
		{"account.token_revoked", "Token revocato: non funziona più.", "Token revoked: it no longer works."},
		{"account.no_tokens", "Non hai ancora creato token API.", "You have not created any API tokens yet."},
		{"account.created", "Creato", "Created"},
		{"account.last_used", "Ultimo uso", "Last used"},
		{"account.never", "mai", "never"},
		{"account.active", "Attivo", "Active"},
		{"account.revoked", "Revocato", "Revoked"},
		{"account.revoke", "Revoca", "Revoke"},
		{"account.revoke_confirm", "Revocare il token «%s»? I programmi che lo usano smetteranno di funzionare.", "Revoke the token “%s”? The programs using it will stop working."},
		{"account.sessions_title", "Sessioni", "Sessions"},
		{"account.sessions_text", "Sessioni aperte con il tuo account: %d.", "Sessions open with your account: %d."},
		{"account.session_line", "aperta il %s, ultimo accesso %s, da %s", "opened %s, last seen %s, from %s"},
		{"account.this_session", "questa", "this one"},
		{"account.logout_all", "Esci da tutte le sessioni", "Sign out everywhere"},
		{"account.logout_all_confirm", "Uscire da tutte le sessioni, anche da questa?", "Sign out of every session, this one included?"},

		// Accounts (admin).
		{"admin.title", "Account utenti", "User accounts"},
		{"admin.lead", "Crea gli account del personale, attiva e disattiva gli account, cambia il ruolo del personale. Datori di lavoro e candidati si registrano da soli.", "Create staff accounts, enable and disable accounts, change staff roles. Employers and jobseekers sign up themselves."},
		{"admin.lead_readonly", "Gli account del servizio, in sola lettura.", "The service's accounts, read-only."},
		{"admin.filters", "Filtra", "Filter"},
		{"admin.search", "Nome o e-mail", "Name or e-mail"},
		{"admin.any", "Tutti", "Any"},
		{"admin.provider", "Ente erogatore", "Provider"},
		{"admin.apply", "Applica", "Apply"},
		{"admin.list_title", "Account trovati: %d", "Accounts found: %d"},
		{"admin.list_caption", "Account da %d a %d di %d", "Accounts %d to %d of %d"},
		{"admin.none", "Nessun account corrisponde ai filtri.", "No account matches the filters."},
		{"admin.paging", "Pagine dell'elenco", "Pages of the list"},
		{"admin.prev", "Precedenti", "Previous"},
		{"admin.next", "Successivi", "Next"},
		{"admin.enable", "Attiva", "Enable"},
		{"admin.disable", "Disattiva", "Disable"},
		{"admin.disable_confirm", "Disattivare l'account %s? Le sue sessioni saranno chiuse.", "Disable the account %s? Its sessions will end."},
		{"admin.no_provider", "Nessuno (solo per gli operatori)", "None (operators only)"},
		{"admin.change_role", "Cambia ruolo", "Change role"},
		{"admin.save_role", "Salva il ruolo", "Save the role"},
		{"admin.you", "È il tuo account", "Your own account"},
		{"admin.create_title", "Nuovo account del personale", "New staff account"},
		{"admin.create_text", "La password è generata e mostrata una sola volta: consegnala alla persona, che la cambierà dopo il primo accesso.", "The password is generated and shown once: give it to the person, who will change it after signing in."},
		{"admin.choose_role", "Scegli il ruolo", "Choose the role"},
		{"admin.provider_hint", "Obbligatorio per gli operatori, vuoto per gli altri ruoli.", "Required for operators, empty for the other roles."},
		{"admin.create_submit", "Crea l'account", "Create the account"},
		{"admin.created", "Account %s creato.", "Account %s created."},
		{"admin.password_value", "Password iniziale di %s", "Initial password of %s"},
		{"admin.enabled", "Account %s attivato.", "Account %s enabled."},
		{"admin.disabled", "Account %s disattivato: le sue sessioni sono state chiuse.", "Account %s disabled: its sessions have ended."},
		{"admin.role_changed", "Ruolo di %s cambiato in: %s.", "Role of %s changed to: %s."},
		{"admin.unchanged", "Nessuna modifica per %s.", "Nothing changed for %s."},

		// Role homes.
		{"workbench.title", "Scrivania dell'operatore", "Operator's workbench"},
		{"employer_home.title", "La mia impresa", "My company"},

		// Error pages.
		{"error.status", "Errore %d", "Error %d"},
		{"error.reference", "Codice di riferimento della richiesta:", "Reference code of the request:"},
		{"error.contact_support", "Se il problema persiste, contatta l'assistenza indicando questo codice di riferimento:", "If the problem persists, contact the help desk quoting this reference code:"},
		{"error.back_home", "Torna alla pagina iniziale", "Back to the home page"},
		{"error.not_found_title", "Pagina non trovata", "Page not found"},
		{"error.not_found", "La pagina richiesta non esiste o è stata spostata.", "The page you asked for does not exist or has moved."},
		{"error.method_title", "Metodo non consentito", "Method not allowed"},
		{"error.method", "Questa pagina non accetta il metodo della richiesta.", "This page does not accept the request's method."},
		{"error.unauthorized_title", "Accesso richiesto", "Sign-in required"},
		{"error.unauthorized", "Per proseguire è necessario accedere.", "You need to sign in to continue."},
		{"error.forbidden_title", "Accesso negato", "Access denied"},
		{"error.forbidden", "Non hai i permessi per accedere a questa pagina.", "You are not allowed to see this page."},
		{"error.conflict_title", "Conflitto", "Conflict"},
		{"error.conflict", "La richiesta è in conflitto con lo stato attuale dei dati.", "The request conflicts with the current state of the data."},
		{"error.rate_limited_title", "Troppi tentativi", "Too many attempts"},
		{"error.rate_limited", "Hai fatto troppi tentativi: riprova tra poco.", "You made too many attempts: try again shortly."},
		{"error.invalid_title", "Richiesta non valida", "Invalid request"},
		{"error.invalid", "La richiesta non è valida.", "The request is not valid."},
		{"error.internal_title", "Errore interno", "Internal error"},
		{"error.internal", "Si è verificato un errore imprevisto. Riprova più tardi.", "Something went wrong. Please try again later."},

		// Domain messages shown on the pages (key: "error." + the English message).
		{"error.sign in to continue", "Accedi per continuare.", "Sign in to continue."},
		{"error.is required", "è obbligatorio.", "is required."},
		{"error.is not a valid e-mail address", "non è un indirizzo e-mail valido.", "is not a valid e-mail address."},
		{"error.is not a valid lower-case e-mail address", "non è un indirizzo e-mail valido.", "is not a valid e-mail address."},
		{"error.wrong e-mail address or password", "Indirizzo e-mail o password errati.", "Wrong e-mail address or password."},
		{"error.confirm your e-mail address first: follow the link we sent you", "Prima conferma l'indirizzo e-mail: apri il collegamento che ti abbiamo mandato.", "Confirm your e-mail address first: open the link we sent you."},
		{"error.this account is disabled", "Questo account è disattivato.", "This account is disabled."},
		{"error.demo accounts work only on a development server or from this machine", "Gli account dimostrativi funzionano solo su un server di sviluppo o da questa macchina.", "Demo accounts work only on a development server or from this machine."},
		{"error.must be at least %s characters long", "deve avere almeno %s caratteri.", "must be at least %s characters long."},
		{"error.must be at most %s characters long", "deve avere al massimo %s caratteri.", "must be at most %s characters long."},
		{"error.is among the most common passwords: choose another", "è tra le password più comuni: scegline un'altra.", "is among the most common passwords: choose another."},
		{"error.repeats too few characters: choose a longer phrase", "ripete troppo pochi caratteri: scegli una frase più lunga.", "repeats too few characters: choose a longer phrase."},
		{"error.is too close to your name or e-mail address", "è troppo simile al tuo nome o al tuo indirizzo e-mail.", "is too close to your name or e-mail address."},
		{"error.is too easy to guess: choose a longer phrase", "è troppo facile da indovinare: scegli una frase più lunga.", "is too easy to guess: choose a longer phrase."},
		{"error.is wrong", "non è corretta.", "is wrong."},
		{"error.must differ from the current password", "deve essere diversa da quella attuale.", "must differ from the current password."},
		{"error.is not a valid codice fiscale (11 digits, or 16 characters for a sole trader)", "non è un codice fiscale valido (11 cifre, o 16 caratteri per una ditta individuale).", "is not a valid codice fiscale (11 digits, or 16 characters for a sole trader)."},
		{"error.is not a valid partita IVA (11 digits with check digit)", "non è una partita IVA valida (11 cifre con cifra di controllo).", "is not a valid partita IVA (11 digits with check digit)."},
		{"error.is not a known ATECO code (e.g. 56.10.11)", "non è un codice ATECO conosciuto (per esempio 56.10.11).", "is not a known ATECO code (e.g. 56.10.11)."},
		{"error.is not a known ISTAT municipality code", "scegli un comune dall'elenco.", "choose a municipality from the list."},
		{"error.already exists: email must be unique", "esiste già un account con questo indirizzo.", "an account with this address already exists."},
		{"error.already exists: tax code must be unique", "un'impresa con questo codice fiscale è già registrata.", "a company with this tax code is already registered."},
		{"error.already exists: vat number must be unique", "un'impresa con questa partita IVA è già registrata.", "a company with this VAT number is already registered."},
		{"error.must be a whole number", "deve essere un numero intero.", "must be a whole number."},
		{"error.must be admin, monitor or operator", "scegli amministratore, monitoraggio o operatore.", "choose administrator, monitoring or operator."},
		{"error.is required for operators and only for them", "è obbligatorio per gli operatori, e solo per loro.", "is required for operators and only for them."},
		{"error.you cannot disable your own account", "non puoi disattivare il tuo account.", "you cannot disable your own account."},
		{"error.you cannot change your own role", "non puoi cambiare il tuo ruolo.", "you cannot change your own role."},
		{"error.only staff roles change: employers and jobseekers keep theirs", "cambiano ruolo solo gli account del personale: datori di lavoro e candidati tengono il loro.", "only staff roles change: employers and jobseekers keep theirs."},
	}
}
