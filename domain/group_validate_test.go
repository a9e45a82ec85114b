package domain

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestGroupName(t *testing.T) {
	long := "Comment mutualiser l'achat des étalons de référence et leur raccordement COFRAC entre petites structures du réseau ?"
	for _, c := range []struct{ in, want string }{
		{"Achats groupés d'étalons ?", "Achats groupés d'étalons ?"},
		{"  Deux\n lignes  ", "Deux lignes"},
		{long, "Comment mutualiser l'achat des étalons de référence et leur raccordement COFRAC…"},
		{strings.Repeat("a", 100), strings.Repeat("a", 79) + "…"},
		{strings.Repeat("é", 80), strings.Repeat("é", 80)},
	} {
		got := GroupName(c.in)
		if got != c.want {
			t.Errorf("GroupName(%q) = %q, want %q", c.in, got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > MaxGroupNameLen {
			t.Errorf("GroupName(%q) has %d characters", c.in, n)
		}
	}
	// The cut never splits a word.
	got := GroupName(long)
	if !strings.HasPrefix(long, strings.TrimSuffix(got, "…")+" ") {
		t.Errorf("GroupName cut a word: %q", got)
	}
}

func TestValidateQuestion(t *testing.T) {
	for _, c := range []struct {
		text  string
		theme Theme
		field string
	}{
		{"  Une question ?  ", ThemeOther, ""},
		{"   ", ThemeOther, "text"},
		{strings.Repeat("x", MaxQuestionLen+1), ThemeOther, "text"},
		{"Une question", "ELSE", "theme"},
	} {
		got, err := ValidateQuestion(c.text, c.theme)
		if fieldOf(err) != c.field {
			t.Errorf("ValidateQuestion(%.20q, %s) = %v, want field %q", c.text, c.theme, err, c.field)
		}
		if err == nil && got != strings.TrimSpace(c.text) {
			t.Errorf("ValidateQuestion(%q) = %q", c.text, got)
		}
	}
}

func TestValidateMeetingInput(t *testing.T) {
	valid := func() MeetingInput {
		return MeetingInput{
			GroupID: 1, Title: " Lancement ", StartsAt: time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC), DurationMinutes: 60,
			Agenda:          []AgendaItem{{Title: "Tour de table", Minutes: 15}, {Title: "Devis", Minutes: 30}, {Title: "Suite", Minutes: 15}},
			ExpectedOutcome: "Choisir un fournisseur",
		}
	}
	for _, c := range []struct {
		name  string
		edit  func(*MeetingInput)
		field string
	}{
		{"valid", func(*MeetingInput) {}, ""},
		{"blank title", func(m *MeetingInput) { m.Title = " " }, "title"},
		{"no start", func(m *MeetingInput) { m.StartsAt = time.Time{} }, "startsAt"},
		{"no duration", func(m *MeetingInput) { m.DurationMinutes = 0 }, "durationMinutes"},
		{"too long", func(m *MeetingInput) { m.DurationMinutes = MaxMeetingMinutes + 1 }, "durationMinutes"},
		{"no agenda", func(m *MeetingInput) { m.Agenda = nil }, "agenda"},
		{"blank agenda title", func(m *MeetingInput) { m.Agenda[2].Title = "\t" }, "agenda[2].title"},
		{"agenda item of no time", func(m *MeetingInput) { m.Agenda[1].Minutes = 0 }, "agenda[1].minutes"},
		{"agenda overruns", func(m *MeetingInput) { m.Agenda[1].Minutes = 31 }, "agenda"},
		{"blank expected outcome", func(m *MeetingInput) { m.ExpectedOutcome = "  " }, "expectedOutcome"},
	} {
		in := valid()
		c.edit(&in)
		got, err := ValidateMeetingInput(in)
		if fieldOf(err) != c.field || (err != nil && ErrorCode(err) != CodeBadUserInput) {
			t.Errorf("%s: %v, want field %q", c.name, err, c.field)
		}
		if err == nil && got.Title != "Lancement" {
			t.Errorf("%s: title %q not trimmed", c.name, got.Title)
		}
	}
	// The agenda may fill the duration exactly.
	in := valid()
	in.DurationMinutes = 60
	if _, err := ValidateMeetingInput(in); err != nil {
		t.Errorf("agenda filling the duration: %v", err)
	}
}

func TestValidateOutcome(t *testing.T) {
	got, ids, err := ValidateOutcome(" Fournisseur choisi ", []int64{3, 1, 3})
	if err != nil || got != "Fournisseur choisi" || len(ids) != 2 || ids[0] != 1 || ids[1] != 3 {
		t.Errorf("ValidateOutcome = %q, %v, %v", got, ids, err)
	}
	if _, _, err := ValidateOutcome(" ", []int64{1}); fieldOf(err) != "outcome" {
		t.Errorf("blank outcome: %v", err)
	}
	if _, _, err := ValidateOutcome("ok", nil); fieldOf(err) != "attendeeIds" {
		t.Errorf("no attendees: %v", err)
	}
}

func TestValidateActionPlanInput(t *testing.T) {
	owner := int64(4)
	in := ActionPlanInput{GroupID: 1, Summary: " Plan ", Items: []ActionItem{{Title: "Appel d'offres", OwnerID: &owner, Done: true}, {Title: "Bilan"}}}
	got, err := ValidateActionPlanInput(in)
	if err != nil || got.Summary != "Plan" || got.Items[0].Done || *got.Items[0].OwnerID != 4 {
		t.Errorf("valid plan: %+v, %v", got, err)
	}
	if in.Items[0].Done != true {
		t.Error("ValidateActionPlanInput changed its input")
	}
	for _, c := range []struct {
		name  string
		in    ActionPlanInput
		field string
	}{
		{"blank summary", ActionPlanInput{Summary: "", Items: in.Items}, "summary"},
		{"no items", ActionPlanInput{Summary: "Plan"}, "items"},
		{"blank item", ActionPlanInput{Summary: "Plan", Items: []ActionItem{{Title: "a"}, {Title: " "}}}, "items[1].title"},
	} {
		if _, err := ValidateActionPlanInput(c.in); fieldOf(err) != c.field {
			t.Errorf("%s: %v, want field %q", c.name, err, c.field)
		}
	}
}

// fieldOf returns the field an error names, or "" for nil.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return e.Field
	}
	return "not an *Error"
}
