package ui

import (
	"strconv"
	"time"

	"incontro/matching"
	"incontro/store"
)

// The jobseeker's pages: the home, the CV editor, visibility and consent,
// who read the CV, and their data (download and erasure).

// CVSection is a section of the CV as the jobseeker's home lists it: its
// name (a catalogue key), where the editor shows it, and whether it says
// anything yet.
type CVSection struct {
	Key    string
	Anchor string
	Filled bool
}

// JobseekerHomeData is the data of the "js_home" page.
type JobseekerHomeData struct {
	Page
	FirstName string
	// Sections of the CV, in the editor's order.
	Sections     []CVSection
	UpdatedAt    time.Time
	Searchable   bool
	Presentation matching.Presentation
	// Questions are the availability questions waiting for an answer.
	Questions []store.AvailabilityQuestion
	// Views counts the reads of the CV by staff and employers.
	Views int
}

// Complete is the share of the CV's sections filled in, in percent.
func (d JobseekerHomeData) Complete() int {
	if len(d.Sections) == 0 {
		return 0
	}
	n := 0
	for _, s := range d.Sections {
		if s.Filled {
			n++
		}
	}
	return n * 100 / len(d.Sections)
}

// Empty lists the sections still empty.
func (d JobseekerHomeData) Empty() []CVSection {
	var out []CVSection
	for _, s := range d.Sections {
		if !s.Filled {
			out = append(out, s)
		}
	}
	return out
}

// PresentationKey is the catalogue key of the presentation choice in plain words.
func (JobseekerHomeData) PresentationKey(p matching.Presentation) string {
	return "jcv.vis.state." + string(p)
}

// CVForm is the CV editor's form as typed: every field as text, the
// repeatable sections as rows.
type CVForm struct {
	GivenName, FamilyName, Email, Phone string
	Headline, Summary                   string
	// Home is the home municipality as typed (its name).
	Home, MobilityKm       string
	AvailableFrom, Hours   string
	WorkingTime, Contracts []string
	Licences               []string
	Experiences            []ExperienceRow
	Education              []EducationRow
	Skills                 []SkillRow
	Languages              []LanguageRow
	Certifications         []CertificationRow
	Desired                []DesiredRow
}

// ExperienceRow is a job of the CV as typed: the occupation (a name of the
// catalogue's list), the employer, the place, the period, the description.
type ExperienceRow struct {
	Occupation, Employer, Place string
	From, To                    string
	Ongoing                     bool
	Description                 string
}

// EducationRow is a qualification as typed.
type EducationRow struct {
	Level, Field, Title, Institution, Year string
}

// SkillRow is a skill as typed, with its self-assessed level.
type SkillRow struct {
	Skill, Level string
}

// LanguageRow is a language (ISO 639-1 code) with its CEFR self-assessment.
type LanguageRow struct {
	Language, Level string
}

// CertificationRow is a certificate as typed, with its dates.
type CertificationRow struct {
	Name, Issued, Expires string
}

// DesiredRow is an occupation sought, as typed.
type DesiredRow struct {
	Occupation string
}

// CVData is the data of the "js_cv" page.
type CVData struct {
	Page
	Form   CVForm
	Errors FieldErrors
	// Unsaved says that rows were added or removed and nothing is saved yet.
	Unsaved bool
	// Focus is the id of the field that takes the focus (a new row's first).
	Focus          string
	Occupations    []Choice
	Skills         []Choice
	Municipalities []Municipality
	// Languages is the list of languages to choose from.
	LanguageChoices []CVOption
}

// CVOption is an entry of a choice: its value and its label, already
// translated.
type CVOption struct {
	Value    string
	Label    string
	Selected bool
}

// CVField is a field of the CV editor: its id (also its name), label, value
// and error, and how it is shown.
type CVField struct {
	ID, Label, Value, Error, Hint string
	// Type is the input's type (text unless set).
	Type string
	// List is the id of the datalist that suggests values.
	List string
	// MaxLen is the input's maxlength (0: none); Min and Max bound a number.
	MaxLen   int
	Min, Max string
	// Autocomplete is the input's autocomplete token.
	Autocomplete string
	Options      []CVOption
	Focus        bool
	ReadOnly     bool
	loc          Locale
}

// F is a top-level field of the form.
func (d CVData) F(id, labelKey, value string) CVField {
	return CVField{ID: id, Label: d.T(labelKey), Value: value, Error: d.Errors[id], Type: "text", Focus: d.Focus == id, loc: d.Locale}
}

// R is a field of row i of a repeatable section: its id is section-i-name.
func (d CVData) R(section string, i int, name, labelKey, value string) CVField {
	return d.F(RowField(section, i, name), labelKey, value)
}

// RowField is the id (and the name) of a row's field in the CV editor.
func RowField(section string, i int, name string) string {
	return section + "-" + strconv.Itoa(i) + "-" + name
}

// Kind sets the input's type.
func (f CVField) Kind(t string) CVField { f.Type = t; return f }

// Suggest names the datalist that suggests values.
func (f CVField) Suggest(list string) CVField { f.List = list; return f }

// Help adds a hint (a catalogue key) under the field.
func (f CVField) Help(key string) CVField { f.Hint = f.loc.T(key); return f }

// Limit sets the field's maximum length.
func (f CVField) Limit(n int) CVField { f.MaxLen = n; return f }

// Range bounds a number field.
func (f CVField) Range(lo, hi int) CVField {
	f.Type, f.Min, f.Max = "number", strconv.Itoa(lo), strconv.Itoa(hi)
	return f
}

// Auto sets the autocomplete token.
func (f CVField) Auto(token string) CVField { f.Autocomplete = token; return f }

// Locked makes the field read-only.
func (f CVField) Locked() CVField { f.ReadOnly = true; return f }

// Choose makes the field a choice among opts, the field's value selected.
func (f CVField) Choose(opts []CVOption) CVField {
	f.Options = make([]CVOption, len(opts))
	found := f.Value == ""
	for i, o := range opts {
		o.Selected = o.Value == f.Value
		found = found || o.Selected
		f.Options[i] = o
	}
	if !found {
		// A value the list does not have (an old one) stays choosable.
		f.Options = append(f.Options, CVOption{Value: f.Value, Label: f.Value, Selected: true})
	}
	return f
}

// Described is the field's aria-describedby: its hint and its error.
func (f CVField) Described() string {
	out := ""
	if f.Hint != "" {
		out = f.ID + "-hint"
	}
	if f.Error != "" {
		if out != "" {
			out += " "
		}
		out += f.ID + "-error"
	}
	return out
}

// EQFOptions are the levels of education, each with its titles.
func (d CVData) EQFOptions() []CVOption {
	out := []CVOption{{Value: "", Label: d.T("jcv.choose")}}
	for _, l := range matching.EQFLevels() {
		n := strconv.Itoa(l.Level)
		out = append(out, CVOption{Value: n, Label: d.T("jcv.eqf." + n)})
	}
	return out
}

// SkillLevels are the levels a skill may be given.
func (d CVData) SkillLevels() []CVOption {
	var out []CVOption
	for _, l := range []string{"unspecified", "basic", "intermediate", "advanced", "expert"} {
		out = append(out, CVOption{Value: l, Label: d.T("jcv.skill_level." + l)})
	}
	return out
}

// CEFROptions are the CEFR levels, each with what it means.
func (d CVData) CEFROptions() []CVOption {
	out := []CVOption{{Value: "", Label: d.T("jcv.choose")}}
	for _, l := range matching.CEFRLevels() {
		out = append(out, CVOption{Value: l, Label: d.T("jcv.cefr." + l)})
	}
	return out
}

// CEFRLevels are the CEFR levels for the explanation of the scale.
func (CVData) CEFRLevels() []string { return matching.CEFRLevels() }

// LanguageOptions are the languages to choose from, with the first choice empty.
func (d CVData) LanguageOptions() []CVOption {
	return append([]CVOption{{Value: "", Label: d.T("jcv.choose")}}, d.LanguageChoices...)
}

// CVCheck is a checkbox of a group (licences, working time, contracts).
type CVCheck struct {
	ID, Name, Value, Label string
	Checked                bool
}

// Checks are the checkboxes of a group: the codes of list, labelled by the
// catalogue keys prefix+code, ticked when in chosen.
func (d CVData) Checks(name, prefix string, list []matching.Term, chosen []string) []CVCheck {
	out := make([]CVCheck, len(list))
	for i, t := range list {
		out[i] = CVCheck{ID: name + "-" + t.Code, Name: name, Value: t.Code, Label: d.T(prefix + t.Code)}
		for _, c := range chosen {
			out[i].Checked = out[i].Checked || c == t.Code
		}
	}
	return out
}

// LicenceChecks are the driving licences.
func (d CVData) LicenceChecks() []CVCheck {
	return d.Checks("licences", "jcv.licence.", matching.Licences(), d.Form.Licences)
}

// WorkingTimeChecks are the working-time patterns.
func (d CVData) WorkingTimeChecks() []CVCheck {
	return d.Checks("working_time", "jcv.wt.", matching.WorkingTimes(), d.Form.WorkingTime)
}

// ContractChecks are the contract types.
func (d CVData) ContractChecks() []CVCheck {
	return d.Checks("contract_preferences", "wb2.contract.", matching.ContractTypes(), d.Form.Contracts)
}

// VisibilityForm is the visibility form as chosen.
type VisibilityForm struct {
	Searchable   string // "yes", "no" or "" (not chosen)
	Presentation string
}

// VisibilityData is the data of the "js_visibility" page.
type VisibilityData struct {
	Page
	Form   VisibilityForm
	Errors FieldErrors
}

// Presentations are the presentation choices, most open first.
func (VisibilityData) Presentations() []string {
	return []string{string(matching.PresentNamed), string(matching.PresentBlind), string(matching.PresentNone)}
}

// ViewsData is the data of the "js_views" page: who read the CV.
type ViewsData struct {
	Page
	Reads    []CVRead
	Total    int
	From, To int
	// PrevURL and NextURL page through the reads ("": none).
	PrevURL, NextURL string
}

// RoleKey is the catalogue key of a reader's role.
func (ViewsData) RoleKey(r matching.Role) string { return RoleKey(r) }

// PurposeKey is the catalogue key of a read's purpose, "" when the
// catalogue does not know it (it is shown as written).
func (d ViewsData) PurposeKey(purpose string) string {
	if key := "cv.purpose." + purpose; d.Locale.Has(key) {
		return key
	}
	return ""
}

// RequestNo is the number of the request a read was for (0: none).
func (ViewsData) RequestNo(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// MyDataData is the data of the "js_data" page: the download of one's data
// and the erasure of the account.
type MyDataData struct {
	Page
	Email  string
	Errors FieldErrors
	// Confirmed keeps the confirmation ticked when the form comes back.
	Confirmed bool
}

// ErasedData is the data of the "js_erased" page.
type ErasedData struct {
	Page
}

// N is the number of row i, counted from 1.
func (CVData) N(i int) int { return i + 1 }

// Row is the id of a row's field (see RowField).
func (CVData) Row(section string, i int, name string) string { return RowField(section, i, name) }

// CVRemove is the button that removes a row.
type CVRemove struct {
	Section    string
	Index      int
	Label, Row string
}

// Remove is the button that removes row i of a section; rowKey is the
// catalogue key that names the row with its number.
func (d CVData) Remove(section string, i int, rowKey string) CVRemove {
	return CVRemove{Section: section, Index: i, Label: d.T("jcv.remove"), Row: d.T(rowKey, i+1)}
}

// CVCheckGroup is a group of checkboxes with its legend and error.
type CVCheckGroup struct {
	Name, Legend, Error string
	Checks              []CVCheck
}

// Group is a group of checkboxes named name.
func (d CVData) Group(name, legendKey string, checks []CVCheck) CVCheckGroup {
	return CVCheckGroup{Name: name, Legend: d.T(legendKey), Error: d.Errors[name], Checks: checks}
}
