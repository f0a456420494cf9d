package matching

import (
	"regexp"
	"strings"
)

// protectedNames are the names under which a search or match request might
// try to select or order people by a protected attribute (D.Lgs. 198/2006,
// 215/2003 and 216/2003; D.Lgs. 276/2003 art. 10). incontro never indexes,
// filters or ranks on any of them: Protected data lives apart from the CV
// and never reaches the index or the scorer.
var protectedNames = map[string]string{
	"age": "age", "eta": "age", "birth_date": "age", "birthdate": "age", "birth_year": "age", "date_of_birth": "age",
	"sex": "sex", "gender": "sex", "sesso": "sex", "genere": "sex",
	"citizenship": "nationality", "nationality": "nationality", "cittadinanza": "nationality", "nazionalita": "nationality",
	"ethnicity": "nationality", "ethnic_origin": "nationality", "origin": "nationality", "race": "nationality",
	"religion": "religion", "religione": "religion",
	"politics": "politics", "political_opinion": "politics", "union": "politics", "union_membership": "politics",
	"marital_status": "family", "stato_civile": "family", "children": "family", "figli": "family", "pregnancy": "family",
	"health": "health", "salute": "health",
	"disability": "disability", "disabilita": "disability", "l68": "disability", "l68_category": "disability",
	"invalidita": "disability", "protected_category": "disability",
	"orientation": "orientation", "sexual_orientation": "orientation",
	"tax_code": "age", "codice_fiscale": "age", // it encodes birth date and sex
}

// ProtectedGround returns the ground of discrimination a request field or
// sort key names ("sex", "age" …), or "" if it names none. Accents, case
// and hyphens are ignored.
func ProtectedGround(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer("-", "_", " ", "_", "à", "a", "è", "e", "é", "e").Replace(n)
	return protectedNames[n]
}

// ProtectedError is the error for a request that tries to use a protected
// attribute, naming the field it came in.
func ProtectedError(field, name string) *Error {
	return FieldErrorf(field, "%q is a protected attribute (%s): incontro never searches, filters or ranks candidates on it "+
		"(D.Lgs. 216/2003, D.Lgs. 215/2003, D.Lgs. 198/2006, D.Lgs. 276/2003 art. 10)", name, ProtectedGround(name))
}

var fieldedTerm = regexp.MustCompile(`([\p{L}_][\p{L}\p{N}_.-]*):`)

// CheckProtectedText refuses a free-text query that names a protected
// attribute as a field ("sex:F", "+age:>30").
func CheckProtectedText(field, text string) error {
	for _, m := range fieldedTerm.FindAllStringSubmatch(text, -1) {
		if ProtectedGround(m[1]) != "" {
			return ProtectedError(field, m[1])
		}
	}
	return nil
}
