package matching

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// italianWords are words of the phrasebook's Italian that an English
// sentence never holds: finding one in English means a sentence or a
// value was left untranslated.
var italianWords = []string{" come ", "anni", " anno", "richiest", "nessun", "livello", " non ", "dichiar", "patente",
	"disponibil", "verificar", "abita", "titolo", "accett", "contratt", "orari", " dal ", " di ", " del ", " della ",
	" il ", " la ", " le ", " tra ", "professione", "esperienza", "madrelingua", "tedesco", "inglese", "giorni",
	"in corso", "scadut", "competenz", "lingue", "superiore", "domicilio", "luogo", "turni", "tempo pieno",
	"indeterminato", "determinato", "somministrazione", "tirocinio", "stagionale", "a chiamata", "festivi",
	"intermedio", "avanzato", "esperto", "indicato", "affine", "gruppo", "oltre", "massimo", "almeno", "desiderat"}

// saysItalian returns the first Italian word found in an English text.
func saysItalian(english string) (string, bool) {
	s := " " + strings.ToLower(english) + " "
	for _, w := range italianWords {
		if strings.Contains(s, w) {
			return w, true
		}
	}
	return "", false
}

// placeholders returns the argument numbers a form says, in order.
func placeholders(form string) []int {
	var out []int
	for i := 0; i < len(form); i++ {
		if n, ok := placeholder(form, i); ok {
			out = append(out, n)
			i += 2
		}
	}
	return out
}

// argSamples are canonical values of each kind of argument, the awkward
// ones included (one year, one day, "native", an unknown code).
var argSamples = map[argKind][]string{
	argName:          {"Cuoco", ""},
	argInt:           {"3", "12"},
	argNumber:        {"2.5", "12", "0"},
	argYears:         {"1", "2.5", "0", "12"},
	argYearsRequired: {"1", "2", "0.5"},
	argDays:          {"1", "12"},
	argDate:          {"2026-12-01", "2027-01-31"},
	argMonth:         {"2019-03", "2024-12"},
	argLanguage:      {"de", "it", "en", "xx"},
	argLanguageLower: {"de", "it", "en", "xx"},
	argCEFR:          {"A2", "B2", "native"},
	argSkillLevel:    {"basic", "intermediate", "advanced", "expert", "unspecified", ""},
	argWorkingTimes:  {"full_time", "part_time,shifts,nights,weekends,seasonal,on_call"},
	argContracts:     {"permanent", "fixed_term,apprenticeship,agency,intermittent,internship,seasonal,freelance"},
	argEQF:           {"4", "1", "2", "3", "5", "6", "7", "8", "9"},
}

func TestEveryPhraseHasBothFormsSayingEveryArgument(t *testing.T) {
	for key, f := range phrasebook {
		t.Run(key, func(t *testing.T) {
			if f.it == "" || f.en == "" {
				t.Fatalf("Italian %q, English %q: a form is missing", f.it, f.en)
			}
			want := make([]int, len(f.args))
			for i := range want {
				want[i] = i
			}
			for lang, form := range map[string]string{"Italian": f.it, "English": f.en} {
				got := placeholders(form)
				slices.Sort(got)
				if !slices.Equal(slices.Compact(got), want) {
					t.Errorf("the %s form %q says arguments %v of %d", lang, form, got, len(f.args))
				}
				without := form
				for i := range f.args {
					without = strings.ReplaceAll(without, "{"+strconv.Itoa(i)+"}", "")
				}
				if strings.ContainsAny(without, "{}") {
					t.Errorf("the %s form %q has a brace that is no placeholder", lang, form)
				}
			}
		})
	}
}

func TestEveryArgumentOfEveryPhraseIsSaidInBothLanguages(t *testing.T) {
	for key, f := range phrasebook {
		// Each argument in turn takes each of its samples, the others their first.
		for n := range max(1, len(f.args)) {
			samples := []string{""}
			if n < len(f.args) {
				samples = argSamples[f.args[n]]
			}
			for _, v := range samples {
				args := make([]string, len(f.args))
				for i, k := range f.args {
					args[i] = argSamples[k][0]
				}
				if n < len(args) {
					args[n] = v
				}
				text := say(key, args...)
				for _, lang := range []string{LangItalian, LangEnglish} {
					s := text.In(lang)
					if strings.ContainsAny(s, "{}⟦⟧") {
						t.Errorf("%s %v in %s: %q has a placeholder left", key, args, lang, s)
					}
				}
				if key == keyName || key == keyItalian {
					continue
				}
				if w, ok := saysItalian(WithoutNames(text).In(LangEnglish)); ok {
					t.Errorf("%s %v in English says the Italian %q: %q", key, args, w, text.In(LangEnglish))
				}
			}
		}
	}
}

func TestArgumentsAreSaidTheWayEachLanguageWritesThem(t *testing.T) {
	cases := []struct {
		kind    argKind
		v       string
		it, en  string
		comment string
	}{
		{argYears, "2.5", "2,5 anni", "2.5 years", "a decimal comma in Italian"},
		{argYears, "1", "1 anno", "1 year", "one year is singular"},
		{argYears, "0", "0 anni", "0 years", ""},
		{argYearsRequired, "2", "richiesti 2 anni", "2 years required", ""},
		{argYearsRequired, "1", "richiesto 1 anno", "1 year required", ""},
		{argNumber, "12.3", "12,3", "12.3", ""},
		{argDays, "1", "1 giorno", "1 day", "one day, singular in both"},
		{argDate, "2026-12-01", "01/12/2026", "1 Dec 2026", ""},
		{argMonth, "2019-03", "03/2019", "Mar 2019", ""},
		{argLanguage, "de", "Tedesco", "German", ""},
		{argLanguageLower, "de", "tedesco", "German", "English names of languages keep their capital"},
		{argLanguage, "xx", "xx", "xx", "an unknown code is said as it is"},
		{argCEFR, "native", "madrelingua", "native speaker", ""},
		{argCEFR, "B2", "B2", "B2", ""},
		{argSkillLevel, "advanced", "avanzato", "advanced", ""},
		{argSkillLevel, "", "non indicato", "not stated", ""},
		{argWorkingTimes, "shifts,weekends", "turni, fine settimana e festivi", "shifts, weekends and public holidays", ""},
		{argContracts, "fixed_term,odd", "tempo determinato, odd", "fixed-term, odd", "an unknown code is said as it is"},
		{argEQF, "4", "diploma di scuola superiore (EQF 4)", "upper secondary diploma (EQF 4)", "the level named as people know it"},
		{argEQF, "9", "EQF 9", "EQF 9", "a level outside the framework is said by its number"},
	}
	for _, tc := range cases {
		if got := string(appendArg(nil, tc.kind, tc.v, LangItalian)); got != tc.it {
			t.Errorf("%q in Italian: %q, want %q %s", tc.v, got, tc.it, tc.comment)
		}
		if got := string(appendArg(nil, tc.kind, tc.v, LangEnglish)); got != tc.en {
			t.Errorf("%q in English: %q, want %q %s", tc.v, got, tc.en, tc.comment)
		}
	}
	if got := number(2.46); got != "2.5" {
		t.Errorf("number(2.46) = %q", got)
	}
	if got := number(2.96); got != "3" {
		t.Errorf("number(2.96) = %q", got)
	}
}

func TestAKeyTheBookDoesNotKnowShowsAsSuch(t *testing.T) {
	if got := (Text{{Key: "no.such"}}).In(LangEnglish); got != "⟦no.such⟧" {
		t.Errorf("got %q", got)
	}
	if got := italianOnly("Patente B.").In(LangEnglish); got != "Patente B." {
		t.Errorf("a text known only in Italian says %q in English", got)
	}
}

// TestEveryPhraseTheCodeSaysIsInTheBook reads the package's source: every
// say(…) names a key of the phrasebook with as many arguments as it has,
// and every key of the phrasebook is said somewhere.
func TestEveryPhraseTheCodeSaysIsInTheBook(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{keyName: true, keyItalian: true}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "say" || len(call.Args) == 0 {
				return true
			}
			at := fset.Position(call.Pos())
			switch k := call.Args[0].(type) {
			case *ast.BasicLit:
				key, _ := strconv.Unquote(k.Value)
				f, ok := phrasebook[key]
				switch {
				case !ok:
					t.Errorf("%s: say(%q) is not in the phrasebook", at, key)
				case call.Ellipsis == token.NoPos && len(call.Args)-1 != len(f.args):
					t.Errorf("%s: say(%q) with %d arguments; the phrase has %d", at, key, len(call.Args)-1, len(f.args))
				}
				used[key] = true
			case *ast.Ident:
				if k.Name != "keyName" && k.Name != "keyItalian" {
					t.Errorf("%s: say(%s): say a phrase by its key", at, k.Name)
				}
			default:
				t.Errorf("%s: say with a computed key", at)
			}
			return true
		})
	}
	for key := range phrasebook {
		if !used[key] {
			t.Errorf("the phrase %q is never said", key)
		}
	}
}
