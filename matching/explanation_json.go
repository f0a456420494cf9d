package matching

import "encoding/json"

// The texts of an explanation (a proof's Text, an assessment's Requirement
// and Reason, an explanation's ToVerify, a weight's Requirement) travel in
// JSON twice: as the Italian string under their old name ("text",
// "requirement", "reason", "to_verify"), which the API has always returned
// and readers of stored runs expect, and as phrases under that name with
// "_phrases" added, from which a reader says them in any language. An
// explanation stored before the phrases has only the Italian strings: it
// reads back as texts known only in Italian, and writes back as it was.
//
// An explanation is encoded in one pass through its wire form below, whose
// types have no JSON methods of their own: nested MarshalJSON methods would
// have the encoder re-read every nested result.

// Types with the fields of the domain types and none of their methods.
type (
	proofFields       Proof
	assessmentFields  Assessment
	explanationFields Explanation
	weightFields      RequirementWeight
)

type wireProof struct {
	proofFields
	Text        string `json:"text"`
	TextPhrases Text   `json:"text_phrases,omitempty"`
}

type wireAssessment struct {
	assessmentFields
	Requirement        string      `json:"requirement"`
	RequirementPhrases Text        `json:"requirement_phrases,omitempty"`
	Reason             string      `json:"reason"`
	ReasonPhrases      Text        `json:"reason_phrases,omitempty"`
	Proofs             []wireProof `json:"proofs,omitempty"`
}

type wireExplanation struct {
	explanationFields
	Requirements    []wireAssessment `json:"requirements"`
	ToVerify        []string         `json:"to_verify"`
	ToVerifyPhrases []Text           `json:"to_verify_phrases,omitempty"`
}

type wireWeight struct {
	weightFields
	Requirement        string `json:"requirement"`
	RequirementPhrases Text   `json:"requirement_phrases,omitempty"`
}

func (p Proof) wire() wireProof {
	return wireProof{proofFields(p), p.Text.String(), p.Text.structured()}
}

func (w wireProof) proof() Proof {
	p := Proof(w.proofFields)
	p.Text = textOf(w.TextPhrases, w.Text)
	return p
}

func (a Assessment) wire() wireAssessment {
	w := wireAssessment{assessmentFields: assessmentFields(a),
		Requirement: a.Requirement.String(), RequirementPhrases: a.Requirement.structured(),
		Reason: a.Reason.String(), ReasonPhrases: a.Reason.structured()}
	if a.Proofs != nil {
		w.Proofs = make([]wireProof, len(a.Proofs))
		for i, p := range a.Proofs {
			w.Proofs[i] = p.wire()
		}
	}
	return w
}

func (w wireAssessment) assessment() Assessment {
	a := Assessment(w.assessmentFields)
	a.Requirement, a.Reason = textOf(w.RequirementPhrases, w.Requirement), textOf(w.ReasonPhrases, w.Reason)
	a.Proofs = nil
	if w.Proofs != nil {
		a.Proofs = make([]Proof, len(w.Proofs))
		for i, p := range w.Proofs {
			a.Proofs[i] = p.proof()
		}
	}
	return a
}

// textOf is a text read from JSON: its phrases, else its Italian string.
func textOf(phrases Text, italian string) Text {
	if len(phrases) > 0 {
		return phrases
	}
	return italianOnly(italian)
}

// MarshalJSON writes the proof with its text in Italian and in phrases.
func (p Proof) MarshalJSON() ([]byte, error) { return json.Marshal(p.wire()) }

// UnmarshalJSON reads a proof written by MarshalJSON or stored before the
// phrases.
func (p *Proof) UnmarshalJSON(b []byte) error {
	var w wireProof
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = w.proof()
	return nil
}

// MarshalJSON writes the assessment with its texts in Italian and in
// phrases.
func (a Assessment) MarshalJSON() ([]byte, error) { return json.Marshal(a.wire()) }

// UnmarshalJSON reads an assessment written by MarshalJSON or stored
// before the phrases.
func (a *Assessment) UnmarshalJSON(b []byte) error {
	var w wireAssessment
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = w.assessment()
	return nil
}

// MarshalJSON writes the explanation with its texts in Italian and in
// phrases.
func (e Explanation) MarshalJSON() ([]byte, error) {
	w := wireExplanation{explanationFields: explanationFields(e), ToVerify: make([]string, len(e.ToVerify))}
	if e.Requirements != nil {
		w.Requirements = make([]wireAssessment, len(e.Requirements))
		for i, a := range e.Requirements {
			w.Requirements[i] = a.wire()
		}
	}
	for i, t := range e.ToVerify {
		w.ToVerify[i] = t.String()
		if t.structured() != nil {
			w.ToVerifyPhrases = e.ToVerify
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads an explanation written by MarshalJSON or stored
// before the phrases.
func (e *Explanation) UnmarshalJSON(b []byte) error {
	var w wireExplanation
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Explanation(w.explanationFields)
	e.Requirements = nil
	if w.Requirements != nil {
		e.Requirements = make([]Assessment, len(w.Requirements))
		for i, a := range w.Requirements {
			e.Requirements[i] = a.assessment()
		}
	}
	e.ToVerify = nil
	if w.ToVerify != nil {
		e.ToVerify = make([]Text, len(w.ToVerify))
		for i, s := range w.ToVerify {
			var phrases Text
			if len(w.ToVerifyPhrases) == len(w.ToVerify) {
				phrases = w.ToVerifyPhrases[i]
			}
			e.ToVerify[i] = textOf(phrases, s)
		}
	}
	return nil
}

// MarshalJSON writes the weight with its requirement in Italian and in
// phrases.
func (w RequirementWeight) MarshalJSON() ([]byte, error) {
	return json.Marshal(wireWeight{weightFields(w), w.Requirement.String(), w.Requirement.structured()})
}

// UnmarshalJSON reads a weight written by MarshalJSON or stored before the
// phrases.
func (w *RequirementWeight) UnmarshalJSON(b []byte) error {
	var v wireWeight
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*w = RequirementWeight(v.weightFields)
	w.Requirement = textOf(v.RequirementPhrases, v.Requirement)
	return nil
}
