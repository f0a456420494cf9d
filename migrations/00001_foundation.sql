-- The whole domain of incontro: providers and their people, employers,
-- candidates with a structured CV (protected attributes apart), vacancies with
-- ranked requirements, 4C/4D requests with their pipeline, shortlists,
-- feedback, operator time, the audit log and the outbox for the index.
--
-- Enumerated columns carry a CHECK whose name is <table>_<column>_check, so
-- that the store can name the offending field in its errors.

-- +goose Up

-- Providers of the employment network: public job centres (Centri per
-- l'impiego) and accredited private agencies.
CREATE TABLE providers (
    id                bigserial PRIMARY KEY,
    code              text NOT NULL,
    name              text NOT NULL CHECK (btrim(name) <> ''),
    kind              text NOT NULL,
    municipality_code text NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
    email             text NOT NULL DEFAULT '',
    phone             text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    CONSTRAINT providers_code_key UNIQUE (code),
    CONSTRAINT providers_code_check CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    CONSTRAINT providers_kind_check CHECK (kind IN ('public_centre', 'accredited_agency'))
);

CREATE TABLE employers (
    id                bigserial PRIMARY KEY,
    name              text NOT NULL CHECK (btrim(name) <> ''),
    -- codice fiscale of the company: 11 digits, or 16 characters for a sole trader
    tax_code          text NOT NULL,
    -- partita IVA: 11 digits (checksum verified in Go)
    vat_number        text,
    ateco_code        text NOT NULL,
    municipality_code text NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
    address           text NOT NULL DEFAULT '',
    email             text NOT NULL,
    phone             text NOT NULL DEFAULT '',
    contact_person    text NOT NULL DEFAULT '',
    website           text NOT NULL DEFAULT '',
    provider_id       bigint REFERENCES providers (id),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT employers_tax_code_key UNIQUE (tax_code),
    CONSTRAINT employers_vat_number_key UNIQUE (vat_number),
    CONSTRAINT employers_tax_code_check CHECK (tax_code ~ '^([0-9]{11}|[A-Z0-9]{16})$'),
    CONSTRAINT employers_vat_number_check CHECK (vat_number ~ '^[0-9]{11}$'),
    CONSTRAINT employers_ateco_code_check CHECK (ateco_code ~ '^[0-9]{2}(\.[0-9]{1,2}(\.[0-9]{1,2})?)?$'),
    CONSTRAINT employers_email_check CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$')
);
CREATE INDEX employers_provider_id_idx ON employers (provider_id);

-- Candidates (jobseekers) and their structured CV. Nothing in this table or
-- its children is a protected attribute: those live in candidate_protected.
CREATE TABLE candidates (
    id                     bigserial PRIMARY KEY,
    given_name             text NOT NULL CHECK (btrim(given_name) <> ''),
    family_name            text NOT NULL CHECK (btrim(family_name) <> ''),
    email                  text NOT NULL,
    phone                  text NOT NULL DEFAULT '',
    headline               text NOT NULL DEFAULT '',
    summary                text NOT NULL DEFAULT '',
    home_municipality_code text NOT NULL,
    home_lat               double precision NOT NULL,
    home_lon               double precision NOT NULL,
    mobility_km            integer NOT NULL,
    available_from         date,
    weekly_hours           integer,
    working_time           text[] NOT NULL DEFAULT '{}',
    contract_preferences   text[] NOT NULL DEFAULT '{}',
    -- searchable: operators may find the CV; presentable: it may be presented
    -- to employers, named or blind (without name and contacts).
    searchable             boolean NOT NULL DEFAULT true,
    presentation           text NOT NULL DEFAULT 'none',
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CONSTRAINT candidates_email_key UNIQUE (email),
    CONSTRAINT candidates_email_check CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT candidates_home_municipality_code_check CHECK (home_municipality_code ~ '^[0-9]{6}$'),
    CONSTRAINT candidates_home_lat_check CHECK (home_lat BETWEEN -90 AND 90),
    CONSTRAINT candidates_home_lon_check CHECK (home_lon BETWEEN -180 AND 180),
    CONSTRAINT candidates_mobility_km_check CHECK (mobility_km BETWEEN 0 AND 1000),
    CONSTRAINT candidates_weekly_hours_check CHECK (weekly_hours BETWEEN 1 AND 60),
    CONSTRAINT candidates_working_time_check CHECK (working_time <@ ARRAY['full_time', 'part_time', 'shifts', 'nights', 'weekends', 'seasonal', 'on_call']::text[]),
    CONSTRAINT candidates_contract_preferences_check CHECK (contract_preferences <@ ARRAY['permanent', 'fixed_term', 'apprenticeship', 'agency', 'intermittent', 'internship', 'seasonal', 'freelance']::text[]),
    CONSTRAINT candidates_presentation_check CHECK (presentation IN ('none', 'named', 'blind'))
);
CREATE INDEX candidates_home_municipality_code_idx ON candidates (home_municipality_code);
CREATE INDEX candidates_updated_at_idx ON candidates (updated_at);

CREATE TABLE candidate_experiences (
    id                bigserial PRIMARY KEY,
    candidate_id      bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position          integer NOT NULL,
    occupation_code   text NOT NULL DEFAULT '',
    isco_code         text NOT NULL DEFAULT '',
    title             text NOT NULL CHECK (btrim(title) <> ''),
    employer_name     text NOT NULL DEFAULT '',
    municipality_code text NOT NULL DEFAULT '',
    start_date        date NOT NULL,
    end_date          date,
    description       text NOT NULL DEFAULT '',
    CONSTRAINT candidate_experiences_position_key UNIQUE (candidate_id, position),
    CONSTRAINT candidate_experiences_isco_code_check CHECK (isco_code ~ '^([0-9]{1,4})?$'),
    CONSTRAINT candidate_experiences_end_date_check CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX candidate_experiences_isco_code_idx ON candidate_experiences (isco_code);

-- Education on the EQF scale (1-8) with the Italian title.
CREATE TABLE candidate_education (
    id           bigserial PRIMARY KEY,
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    eqf_level    smallint NOT NULL,
    title        text NOT NULL CHECK (btrim(title) <> ''),
    field        text NOT NULL DEFAULT '',
    institution  text NOT NULL DEFAULT '',
    completed_year integer,
    CONSTRAINT candidate_education_position_key UNIQUE (candidate_id, position),
    CONSTRAINT candidate_education_eqf_level_check CHECK (eqf_level BETWEEN 1 AND 8),
    CONSTRAINT candidate_education_completed_year_check CHECK (completed_year BETWEEN 1940 AND 2100)
);

CREATE TABLE candidate_skills (
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    skill_code   text NOT NULL DEFAULT '',
    label        text NOT NULL CHECK (btrim(label) <> ''),
    level        text NOT NULL DEFAULT 'unspecified',
    PRIMARY KEY (candidate_id, position),
    CONSTRAINT candidate_skills_label_key UNIQUE (candidate_id, label),
    CONSTRAINT candidate_skills_level_check CHECK (level IN ('unspecified', 'basic', 'intermediate', 'advanced', 'expert'))
);
CREATE INDEX candidate_skills_skill_code_idx ON candidate_skills (skill_code) WHERE skill_code <> '';

-- Languages with CEFR levels; "native" for a mother tongue.
CREATE TABLE candidate_languages (
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    language     text NOT NULL,
    level        text NOT NULL,
    PRIMARY KEY (candidate_id, language),
    CONSTRAINT candidate_languages_language_check CHECK (language ~ '^[a-z]{2}$'),
    CONSTRAINT candidate_languages_level_check CHECK (level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'))
);

CREATE TABLE candidate_licences (
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    category     text NOT NULL,
    PRIMARY KEY (candidate_id, category),
    CONSTRAINT candidate_licences_category_check CHECK (category IN
        ('AM', 'A1', 'A2', 'A', 'B1', 'B', 'BE', 'C1', 'C1E', 'C', 'CE', 'D1', 'D1E', 'D', 'DE', 'CQC_goods', 'CQC_passengers'))
);

CREATE TABLE candidate_certifications (
    id           bigserial PRIMARY KEY,
    candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    code         text NOT NULL DEFAULT '',
    name         text NOT NULL CHECK (btrim(name) <> ''),
    issued_on    date,
    expires_on   date,
    CONSTRAINT candidate_certifications_expires_on_check CHECK (expires_on IS NULL OR issued_on IS NULL OR expires_on >= issued_on)
);
CREATE INDEX candidate_certifications_candidate_id_idx ON candidate_certifications (candidate_id);

CREATE TABLE candidate_desired_occupations (
    candidate_id    bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    occupation_code text NOT NULL DEFAULT '',
    isco_code       text NOT NULL DEFAULT '',
    title           text NOT NULL CHECK (btrim(title) <> ''),
    PRIMARY KEY (candidate_id, position),
    CONSTRAINT candidate_desired_occupations_isco_code_check CHECK (isco_code ~ '^([0-9]{1,4})?$')
);

-- Protected attributes: read only by staff code paths, never joined into what
-- is indexed or scored. The codice fiscale lives here because it encodes the
-- birth date and sex.
CREATE TABLE candidate_protected (
    candidate_id     bigint PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
    tax_code         text,
    birth_date       date,
    sex              text,
    citizenship      text,
    disability       boolean NOT NULL DEFAULT false,
    -- L. 68/99 targeted placement: art. 1 (persons with disability) or art. 18 (other protected categories)
    l68_category     text,
    l68_registered_on date,
    -- whether the candidate agreed that employers may see the L. 68/99 status
    l68_disclose_to_employers boolean NOT NULL DEFAULT false,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT candidate_protected_tax_code_key UNIQUE (tax_code),
    CONSTRAINT candidate_protected_tax_code_check CHECK (tax_code ~ '^[A-Z0-9]{16}$'),
    CONSTRAINT candidate_protected_sex_check CHECK (sex IN ('F', 'M', 'X')),
    CONSTRAINT candidate_protected_citizenship_check CHECK (citizenship ~ '^[A-Z]{2}$'),
    CONSTRAINT candidate_protected_l68_category_check CHECK (l68_category IN ('art1', 'art18'))
);

-- People who sign in: staff (admin, monitor, operator), employer users and
-- jobseekers. Each role is tied to what it belongs to.
CREATE TABLE users (
    id                bigserial PRIMARY KEY,
    email             text NOT NULL,
    name              text NOT NULL CHECK (btrim(name) <> ''),
    role              text NOT NULL,
    provider_id       bigint REFERENCES providers (id),
    employer_id       bigint REFERENCES employers (id),
    candidate_id      bigint REFERENCES candidates (id) ON DELETE CASCADE,
    password_hash     text NOT NULL DEFAULT '',
    language          text NOT NULL DEFAULT 'it',
    status            text NOT NULL DEFAULT 'active',
    email_verified_at timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT users_email_check CHECK (email ~ '^[^@\sA-Z]+@[^@\sA-Z]+\.[^@\sA-Z]+$'),
    CONSTRAINT users_role_check CHECK (role IN ('admin', 'monitor', 'operator', 'employer', 'jobseeker')),
    CONSTRAINT users_language_check CHECK (language IN ('it', 'en')),
    CONSTRAINT users_status_check CHECK (status IN ('pending', 'active', 'disabled')),
    CONSTRAINT users_provider_id_check CHECK ((role = 'operator') = (provider_id IS NOT NULL)),
    CONSTRAINT users_employer_id_check CHECK ((role = 'employer') = (employer_id IS NOT NULL)),
    CONSTRAINT users_candidate_id_check CHECK ((role = 'jobseeker') = (candidate_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX users_candidate_id_key ON users (candidate_id) WHERE candidate_id IS NOT NULL;
CREATE INDEX users_provider_id_idx ON users (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX users_employer_id_idx ON users (employer_id) WHERE employer_id IS NOT NULL;

-- Sign-in sessions; only a hash of the token is kept.
CREATE TABLE sessions (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- API tokens for integrations, scoped to the owner's role; stored hashed.
CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (btrim(name) <> ''),
    token_hash   bytea NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- Vacancies posted by employers (or by an operator on their behalf).
CREATE TABLE vacancies (
    id                bigserial PRIMARY KEY,
    employer_id       bigint NOT NULL REFERENCES employers (id),
    title             text NOT NULL CHECK (btrim(title) <> ''),
    description       text NOT NULL DEFAULT '',
    occupation_code   text NOT NULL DEFAULT '',
    isco_code         text NOT NULL DEFAULT '',
    municipality_code text NOT NULL,
    lat               double precision NOT NULL,
    lon               double precision NOT NULL,
    contract_type     text NOT NULL,
    working_time      text[] NOT NULL DEFAULT '{}',
    weekly_hours      integer,
    positions         integer NOT NULL DEFAULT 1,
    status            text NOT NULL DEFAULT 'draft',
    published_at      timestamptz,
    closes_on         date,
    created_by        bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT vacancies_isco_code_check CHECK (isco_code ~ '^([0-9]{1,4})?$'),
    CONSTRAINT vacancies_municipality_code_check CHECK (municipality_code ~ '^[0-9]{6}$'),
    CONSTRAINT vacancies_contract_type_check CHECK (contract_type IN ('permanent', 'fixed_term', 'apprenticeship', 'agency', 'intermittent', 'internship', 'seasonal', 'freelance')),
    CONSTRAINT vacancies_working_time_check CHECK (working_time <@ ARRAY['full_time', 'part_time', 'shifts', 'nights', 'weekends', 'seasonal', 'on_call']::text[]),
    CONSTRAINT vacancies_weekly_hours_check CHECK (weekly_hours BETWEEN 1 AND 60),
    CONSTRAINT vacancies_positions_check CHECK (positions BETWEEN 1 AND 1000),
    CONSTRAINT vacancies_status_check CHECK (status IN ('draft', 'published', 'closed')),
    CONSTRAINT vacancies_published_at_check CHECK (status = 'draft' OR published_at IS NOT NULL)
);
CREATE INDEX vacancies_employer_id_idx ON vacancies (employer_id);
CREATE INDEX vacancies_status_idx ON vacancies (status, published_at DESC);

-- Requirements of a vacancy, ordered by importance (rank 1 = most important).
-- Each kind uses the typed columns it needs; the CHECK says which.
CREATE TABLE vacancy_requirements (
    id         bigserial PRIMARY KEY,
    vacancy_id bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    rank       integer NOT NULL,
    essential  boolean NOT NULL DEFAULT false,
    kind       text NOT NULL,
    -- occupation / skill / certification / licence / language code, or EQF level for education
    code       text NOT NULL DEFAULT '',
    label      text NOT NULL DEFAULT '',
    -- CEFR level for language, skill level for skill
    level      text NOT NULL DEFAULT '',
    min_years  numeric(4, 1),
    field      text NOT NULL DEFAULT '',
    max_km     integer,
    from_date  date,
    "values"   text[] NOT NULL DEFAULT '{}',
    CONSTRAINT vacancy_requirements_rank_key UNIQUE (vacancy_id, rank) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT vacancy_requirements_rank_check CHECK (rank BETWEEN 1 AND 50),
    CONSTRAINT vacancy_requirements_kind_check CHECK (kind IN
        ('occupation', 'skill', 'education', 'language', 'licence', 'certification', 'distance', 'availability', 'working_time', 'contract')),
    CONSTRAINT vacancy_requirements_min_years_check CHECK (min_years BETWEEN 0 AND 60),
    CONSTRAINT vacancy_requirements_max_km_check CHECK (max_km BETWEEN 1 AND 500),
    CONSTRAINT vacancy_requirements_value_check CHECK (CASE kind
        WHEN 'occupation'    THEN code <> '' OR label <> ''
        WHEN 'skill'         THEN code <> '' OR label <> ''
        WHEN 'education'     THEN code ~ '^[1-8]$'
        WHEN 'language'      THEN code ~ '^[a-z]{2}$' AND level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native')
        WHEN 'licence'       THEN code <> ''
        WHEN 'certification' THEN code <> '' OR label <> ''
        WHEN 'distance'      THEN max_km IS NOT NULL
        WHEN 'availability'  THEN from_date IS NOT NULL
        WHEN 'working_time'  THEN cardinality("values") > 0
        WHEN 'contract'      THEN cardinality("values") > 0
    END)
);
CREATE INDEX vacancy_requirements_vacancy_id_idx ON vacancy_requirements (vacancy_id);

-- Findings of the wording check on a vacancy text, and the operator's
-- justification where a finding is accepted (e.g. an apprenticeship age band).
CREATE TABLE vacancy_findings (
    id               bigserial PRIMARY KEY,
    vacancy_id       bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    rule             text NOT NULL CHECK (btrim(rule) <> ''),
    severity         text NOT NULL,
    excerpt          text NOT NULL DEFAULT '',
    message          text NOT NULL,
    justification    text NOT NULL DEFAULT '',
    justified_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    justified_at     timestamptz,
    created_at       timestamptz NOT NULL,
    CONSTRAINT vacancy_findings_severity_check CHECK (severity IN ('block', 'warn')),
    CONSTRAINT vacancy_findings_justification_check CHECK ((justified_at IS NULL) = (justification = ''))
);
CREATE INDEX vacancy_findings_vacancy_id_idx ON vacancy_findings (vacancy_id);

-- 4C requests (with optional 4D phases): one per vacancy, handled by a provider.
CREATE TABLE requests (
    id           bigserial PRIMARY KEY,
    provider_id  bigint NOT NULL REFERENCES providers (id),
    employer_id  bigint NOT NULL REFERENCES employers (id),
    vacancy_id   bigint NOT NULL REFERENCES vacancies (id),
    operator_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    status       text NOT NULL DEFAULT 'intake',
    outcome      text,
    with_4d      boolean NOT NULL DEFAULT false,
    opened_at    timestamptz NOT NULL,
    closed_at    timestamptz,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT requests_vacancy_id_key UNIQUE (vacancy_id),
    CONSTRAINT requests_status_check CHECK (status IN ('intake', 'requirements_ranked', 'searching', 'contacting',
        'shortlist_presented', 'awaiting_feedback', 'competence_verification', 'selection', 'closed')),
    CONSTRAINT requests_outcome_check CHECK (outcome IN ('filled', 'not_filled', 'withdrawn', 'cancelled')),
    CONSTRAINT requests_closed_check CHECK ((status = 'closed') = (outcome IS NOT NULL) AND (status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX requests_provider_id_idx ON requests (provider_id, status);
CREATE INDEX requests_employer_id_idx ON requests (employer_id);
CREATE INDEX requests_operator_id_idx ON requests (operator_id);

CREATE TABLE request_status_history (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    from_status text,
    to_status   text NOT NULL,
    outcome     text,
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    by_user     bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX request_status_history_request_id_idx ON request_status_history (request_id, at);

-- Match runs: the parameters and the ranked result of a search for a request.
CREATE TABLE match_runs (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    params      jsonb NOT NULL,
    recalled    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX match_runs_request_id_idx ON match_runs (request_id, created_at DESC);

CREATE TABLE match_results (
    run_id       bigint NOT NULL REFERENCES match_runs (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    candidate_id bigint REFERENCES candidates (id) ON DELETE SET NULL,
    score        double precision NOT NULL,
    near_miss    boolean NOT NULL DEFAULT false,
    explanation  jsonb NOT NULL,
    PRIMARY KEY (run_id, position)
);

-- The pipeline: every candidate considered for a request, with its own stage.
-- candidate_id becomes NULL when a jobseeker is erased; the pseudonym keeps
-- the historical record usable for statistics.
CREATE TABLE pipeline_entries (
    id                        bigserial PRIMARY KEY,
    request_id                bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    candidate_id              bigint REFERENCES candidates (id) ON DELETE SET NULL,
    pseudonym                 text NOT NULL,
    source                    text NOT NULL,
    stage                     text NOT NULL DEFAULT 'found',
    rejection_reason          text,
    match_run_id              bigint REFERENCES match_runs (id) ON DELETE SET NULL,
    score                     double precision,
    availability_confirmed_at timestamptz,
    created_at                timestamptz NOT NULL,
    created_by                bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at                timestamptz NOT NULL,
    CONSTRAINT pipeline_entries_candidate_key UNIQUE (request_id, candidate_id),
    CONSTRAINT pipeline_entries_source_check CHECK (source IN ('search', 'self_application', 'referral')),
    CONSTRAINT pipeline_entries_stage_check CHECK (stage IN ('found', 'contacted', 'available', 'not_available',
        'unreachable', 'shortlisted', 'presented', 'interviewed', 'hired', 'rejected', 'withdrew')),
    CONSTRAINT pipeline_entries_rejection_reason_check CHECK ((stage = 'rejected') = (rejection_reason IS NOT NULL)
        AND (rejection_reason IS NULL OR rejection_reason IN ('skills_gap', 'experience', 'language', 'availability',
            'distance', 'salary', 'contract', 'interview', 'position_filled', 'other')))
);
CREATE INDEX pipeline_entries_candidate_id_idx ON pipeline_entries (candidate_id);

CREATE TABLE pipeline_stage_history (
    id          bigserial PRIMARY KEY,
    entry_id    bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    from_stage  text,
    to_stage    text NOT NULL,
    reason      text,
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    by_user     bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX pipeline_stage_history_entry_id_idx ON pipeline_stage_history (entry_id, at);

CREATE TABLE pipeline_notes (
    id        bigserial PRIMARY KEY,
    entry_id  bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    body      text NOT NULL CHECK (btrim(body) <> ''),
    at        timestamptz NOT NULL,
    by_user   bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX pipeline_notes_entry_id_idx ON pipeline_notes (entry_id);

-- Contacts with candidates (the 4C availability check).
CREATE TABLE contacts (
    id        bigserial PRIMARY KEY,
    entry_id  bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    channel   text NOT NULL,
    outcome   text NOT NULL,
    note      text NOT NULL DEFAULT '',
    at        timestamptz NOT NULL,
    by_user   bigint REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT contacts_channel_check CHECK (channel IN ('phone', 'email', 'sms', 'portal', 'in_person')),
    CONSTRAINT contacts_outcome_check CHECK (outcome IN ('available', 'not_available', 'no_answer', 'message_left', 'wrong_contact', 'awaiting_reply'))
);
CREATE INDEX contacts_entry_id_idx ON contacts (entry_id, at);

-- Availability requests sent to a jobseeker through the portal and their answers.
CREATE TABLE availability_requests (
    id          bigserial PRIMARY KEY,
    entry_id    bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    sent_at     timestamptz NOT NULL,
    sent_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    answered_at timestamptz,
    answer      text,
    reason      text NOT NULL DEFAULT '',
    CONSTRAINT availability_requests_answer_check CHECK (answer IN ('interested', 'not_interested')),
    CONSTRAINT availability_requests_answered_check CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX availability_requests_entry_id_idx ON availability_requests (entry_id);

-- Self-applications by jobseekers to published vacancies; an operator verifies each.
CREATE TABLE applications (
    id           bigserial PRIMARY KEY,
    vacancy_id   bigint NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    candidate_id bigint REFERENCES candidates (id) ON DELETE SET NULL,
    message      text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'submitted',
    reason       text NOT NULL DEFAULT '',
    verified_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    verified_at  timestamptz,
    created_at   timestamptz NOT NULL,
    CONSTRAINT applications_candidate_key UNIQUE (vacancy_id, candidate_id),
    CONSTRAINT applications_status_check CHECK (status IN ('submitted', 'verified', 'not_fitting', 'withdrawn')),
    CONSTRAINT applications_reason_check CHECK (status <> 'not_fitting' OR btrim(reason) <> '')
);
CREATE INDEX applications_candidate_id_idx ON applications (candidate_id);

-- Shortlists ("rose"): versioned; a presented version keeps a frozen snapshot
-- of what the employer was shown.
CREATE TABLE shortlists (
    id           bigserial PRIMARY KEY,
    request_id   bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    version      integer NOT NULL,
    status       text NOT NULL DEFAULT 'draft',
    note         text NOT NULL DEFAULT '',
    snapshot     jsonb,
    created_at   timestamptz NOT NULL,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    presented_at timestamptz,
    presented_by bigint REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT shortlists_version_key UNIQUE (request_id, version),
    CONSTRAINT shortlists_version_check CHECK (version >= 1),
    CONSTRAINT shortlists_status_check CHECK (status IN ('draft', 'presented', 'superseded')),
    CONSTRAINT shortlists_presented_check CHECK (status = 'draft' OR (presented_at IS NOT NULL AND snapshot IS NOT NULL))
);
-- A request has at most one presented shortlist at a time; earlier ones are superseded.
CREATE UNIQUE INDEX shortlists_one_presented_key ON shortlists (request_id) WHERE status = 'presented';

CREATE TABLE shortlist_items (
    shortlist_id bigint NOT NULL REFERENCES shortlists (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    entry_id     bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    mode         text NOT NULL,
    note         text NOT NULL DEFAULT '',
    PRIMARY KEY (shortlist_id, position),
    CONSTRAINT shortlist_items_entry_key UNIQUE (shortlist_id, entry_id),
    CONSTRAINT shortlist_items_mode_check CHECK (mode IN ('named', 'blind'))
);

-- The employer's feedback on each presented candidate.
CREATE TABLE feedback (
    id           bigserial PRIMARY KEY,
    entry_id     bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    shortlist_id bigint REFERENCES shortlists (id) ON DELETE SET NULL,
    decision     text NOT NULL,
    reason       text,
    comment      text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL,
    by_user      bigint REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT feedback_decision_check CHECK (decision IN ('interview', 'hired', 'not_selected', 'on_hold')),
    CONSTRAINT feedback_reason_check CHECK ((decision = 'not_selected') = (reason IS NOT NULL)
        AND (reason IS NULL OR reason IN ('skills_gap', 'experience', 'language', 'availability',
            'distance', 'salary', 'contract', 'interview', 'position_filled', 'other')))
);
CREATE INDEX feedback_entry_id_idx ON feedback (entry_id, at);

-- 4D: verification of the competences a candidate declares.
CREATE TABLE competence_checks (
    id             bigserial PRIMARY KEY,
    entry_id       bigint NOT NULL REFERENCES pipeline_entries (id) ON DELETE CASCADE,
    requirement_id bigint REFERENCES vacancy_requirements (id) ON DELETE SET NULL,
    competence     text NOT NULL CHECK (btrim(competence) <> ''),
    method         text NOT NULL,
    result         text NOT NULL,
    note           text NOT NULL DEFAULT '',
    at             timestamptz NOT NULL,
    by_user        bigint REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT competence_checks_method_check CHECK (method IN ('interview', 'practical_test', 'document_check', 'reference_check')),
    CONSTRAINT competence_checks_result_check CHECK (result IN ('confirmed', 'partly_confirmed', 'not_confirmed'))
);
CREATE INDEX competence_checks_entry_id_idx ON competence_checks (entry_id);

-- Operator time per activity, measured against the 4C (4-8 h) and 4D (2-6 h per phase) standards.
CREATE TABLE time_entries (
    id         bigserial PRIMARY KEY,
    request_id bigint NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    phase      text NOT NULL,
    activity   text NOT NULL,
    started_at timestamptz NOT NULL,
    minutes    integer NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    CONSTRAINT time_entries_phase_check CHECK (phase IN ('4C', '4D_verification', '4D_selection')),
    CONSTRAINT time_entries_activity_check CHECK (activity IN ('intake_interview', 'profile_definition', 'database_search',
        'vacancy_publication', 'candidate_contact', 'self_application_review', 'shortlist_presentation',
        'feedback_collection', 'skill_gap_support', 'outcome_recording', 'competence_verification', 'selection_support')),
    CONSTRAINT time_entries_minutes_check CHECK (minutes BETWEEN 1 AND 720)
);
CREATE INDEX time_entries_request_id_idx ON time_entries (request_id);
CREATE INDEX time_entries_user_id_idx ON time_entries (user_id, started_at);

-- Who did or read what, when, in which request. Append-only.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL,
    user_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    role         text NOT NULL DEFAULT '' CONSTRAINT audit_log_role_check
                 CHECK (role IN ('', 'admin', 'monitor', 'operator', 'employer', 'jobseeker')),
    action       text NOT NULL CHECK (btrim(action) <> ''),
    object_type  text NOT NULL DEFAULT '',
    object_id    bigint,
    request_id   bigint REFERENCES requests (id) ON DELETE SET NULL,
    candidate_id bigint,
    ip           text NOT NULL DEFAULT '',
    detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_candidate_id_idx ON audit_log (candidate_id, at) WHERE candidate_id IS NOT NULL;
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id, at);

-- The outbox: an append-only log of changes to searchable data, read by
-- position by every index replica. txid records the writing transaction so
-- that a reader can tell rows whose transaction may still be in flight.
CREATE TABLE outbox (
    id        bigserial PRIMARY KEY,
    txid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at        timestamptz NOT NULL DEFAULT now(),
    entity    text NOT NULL,
    entity_id bigint NOT NULL,
    op        text NOT NULL,
    CONSTRAINT outbox_entity_check CHECK (entity IN ('candidate', 'vacancy')),
    CONSTRAINT outbox_op_check CHECK (op IN ('upsert', 'delete'))
);
CREATE INDEX outbox_at_idx ON outbox (at);

-- +goose Down
DROP TABLE outbox, audit_log, time_entries, competence_checks, feedback, shortlist_items, shortlists,
    applications, availability_requests, contacts, pipeline_notes, pipeline_stage_history, pipeline_entries,
    match_results, match_runs, request_status_history, requests, vacancy_findings, vacancy_requirements,
    vacancies, api_tokens, sessions, users, candidate_protected, candidate_desired_occupations,
    candidate_certifications, candidate_licences, candidate_languages, candidate_skills, candidate_education,
    candidate_experiences, candidates, employers, providers;
