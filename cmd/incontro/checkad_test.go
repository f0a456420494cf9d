package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"incontro/matching"
)

// runCheckAd runs incontro with the ad on standard input and no
// configuration at all: check-ad needs neither a database nor a data
// directory.
func runCheckAd(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), append([]string{"check-ad"}, args...), env(nil), stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckAdPrintsTheFindingsAsJSON(t *testing.T) {
	code, out, stderr := runCheckAd(t, strings.NewReader("Cercasi barista donna, età massima 35 anni\n"))
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasSuffix(out, "}\n") || strings.Count(out, "\n") != 1 {
		t.Errorf("output %q is not one JSON object on one line", out)
	}
	var got struct {
		Findings []matching.AdFinding `json:"findings"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	want := []struct {
		ground          matching.Ground
		excerpt, lawHas string
	}{
		{matching.GroundSex, "donna", "D.Lgs. 198/2006, art. 27"},
		{matching.GroundAge, "età massima 35 anni", "D.Lgs. 216/2003"},
	}
	if len(got.Findings) != len(want) {
		t.Fatalf("findings %+v, want sex and age", got.Findings)
	}
	for i, w := range want {
		f := got.Findings[i]
		if f.Ground != w.ground || f.Excerpt != w.excerpt || !strings.Contains(f.Law, w.lawHas) || f.Explanation == "" {
			t.Errorf("finding %d = %+v, want %s «%s» under %s", i, f, w.ground, w.excerpt, w.lawHas)
		}
	}
}

func TestCheckAdOfALawfulAdPrintsAnEmptyList(t *testing.T) {
	ad := "Apprendista meccanico/a, età 18-29 anni. Idoneità accertata dal medico competente."
	code, out, stderr := runCheckAd(t, strings.NewReader(ad), "--contract", "apprenticeship")
	if code != 0 || out != "{\"findings\":[]}\n" {
		t.Fatalf("exit %d, output %q, stderr %q; want {\"findings\":[]}", code, out, stderr)
	}
	// The same band on a permanent contract is an age limit, still exit 0.
	code, out, _ = runCheckAd(t, strings.NewReader(ad), "--contract", "permanent")
	if code != 0 || !strings.Contains(out, `"ground":"age"`) {
		t.Fatalf("permanent contract: exit %d, output %q; want an age finding", code, out)
	}
}

func TestCheckAdRefusesBadUsage(t *testing.T) {
	tests := []struct {
		name  string
		stdin io.Reader
		args  []string
		want  string
	}{
		{"an unknown contract type", strings.NewReader("Barista"), []string{"--contract", "forever"}, "--contract"},
		{"an ad given as an argument", strings.NewReader(""), []string{"Cercasi barista donna"}, "standard input"},
		{"an ad longer than a mebibyte", strings.NewReader(strings.Repeat("a", maxAdBytes+1)), nil, "longer than"},
		{"an ad that is not UTF-8", strings.NewReader("Cameriera \xff\xfe"), nil, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCheckAd(t, tt.stdin, tt.args...)
			if code == 0 || !strings.Contains(stderr, tt.want) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want a failure naming %q and no output", code, out, stderr, tt.want)
			}
		})
	}
}
