package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Limits of questions, meetings and action plans.
const (
	MaxQuestionLen     = 1000 // characters of a question
	MaxGroupNameLen    = 80   // characters of a group's name, ellipsis included
	MaxMeetingMinutes  = 480  // longest meeting: a working day
	maxAgendaItems     = 50
	maxActionItems     = 100
	maxAttendees       = 1000
	maxItemTitleLen    = 500
	maxOutcomeLen      = 5000
	maxExpectedOutcome = 2000
)

// Valid reports whether t is a known theme.
func (t Theme) Valid() bool {
	switch t {
	case ThemePurchasing, ThemeSmallBusinessSupport, ThemeCommunication, ThemeOther:
		return true
	}
	return false
}

// ValidateQuestion cleans a question's text and checks its theme.
// Returns BAD_USER_INPUT naming "text" or "theme".
func ValidateQuestion(text string, theme Theme) (string, error) {
	text, err := RequiredText("text", text, MaxQuestionLen)
	if err != nil {
		return "", err
	}
	if !theme.Valid() {
		return "", InvalidField("theme", "unknown theme %q", theme)
	}
	return text, nil
}

// GroupName derives a group's name from its question: the text on one line,
// shortened to at most MaxGroupNameLen characters on a word boundary with
// "…" when it is longer.
func GroupName(question string) string {
	text := strings.Join(strings.Fields(question), " ")
	runes := []rune(text)
	if len(runes) <= MaxGroupNameLen {
		return text
	}
	cut := string(runes[:MaxGroupNameLen-1]) // room for the ellipsis
	if runes[MaxGroupNameLen-1] != ' ' {
		// The cut falls inside a word: drop that word, unless it is the only one.
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, " ,;:.-") + "…"
}

// ValidateMeetingInput cleans a meeting and checks SPEC §3: a title, a
// duration of 1 to MaxMeetingMinutes minutes, at least one agenda item,
// each titled and at least a minute long, adding up to no more than the
// duration, and an expected outcome. A blank string counts as missing.
// Returns BAD_USER_INPUT naming the field, e.g. "agenda[2].title".
func ValidateMeetingInput(in MeetingInput) (MeetingInput, error) {
	var err error
	if in.Title, err = RequiredText("title", in.Title, maxShortTextLen); err != nil {
		return in, err
	}
	if in.StartsAt.IsZero() {
		return in, InvalidField("startsAt", "startsAt is required")
	}
	if in.DurationMinutes < 1 || in.DurationMinutes > MaxMeetingMinutes {
		return in, InvalidField("durationMinutes", "durationMinutes must be between 1 and %d, got %d", MaxMeetingMinutes, in.DurationMinutes)
	}
	if len(in.Agenda) == 0 {
		return in, InvalidField("agenda", "a meeting needs an agenda of at least one item")
	}
	if len(in.Agenda) > maxAgendaItems {
		return in, InvalidField("agenda", "an agenda has at most %d items, got %d", maxAgendaItems, len(in.Agenda))
	}
	agenda := make([]AgendaItem, len(in.Agenda))
	total := 0
	for i, item := range in.Agenda {
		field := fmt.Sprintf("agenda[%d]", i)
		if item.Title, err = RequiredText(field+".title", item.Title, maxShortTextLen); err != nil {
			return in, err
		}
		if item.Minutes < 1 {
			return in, InvalidField(field+".minutes", "%s.minutes must be at least 1, got %d", field, item.Minutes)
		}
		total += item.Minutes
		agenda[i] = item
	}
	if total > in.DurationMinutes {
		return in, InvalidField("agenda", "the agenda takes %d minutes, more than the meeting's %d", total, in.DurationMinutes)
	}
	in.Agenda = agenda
	if in.ExpectedOutcome, err = RequiredText("expectedOutcome", in.ExpectedOutcome, maxExpectedOutcome); err != nil {
		return in, err
	}
	return in, nil
}

// ValidateOutcome cleans a meeting's outcome and its attendees: the outcome
// is required and at least one member attended. Duplicate attendees count
// once; the result is sorted. Returns BAD_USER_INPUT naming "outcome" or
// "attendeeIds".
func ValidateOutcome(outcome string, attendeeIDs []int64) (string, []int64, error) {
	outcome, err := RequiredText("outcome", outcome, maxOutcomeLen)
	if err != nil {
		return "", nil, err
	}
	if len(attendeeIDs) == 0 {
		return "", nil, InvalidField("attendeeIds", "a held meeting needs at least one attendee")
	}
	if len(attendeeIDs) > maxAttendees {
		return "", nil, InvalidField("attendeeIds", "at most %d attendees, got %d", maxAttendees, len(attendeeIDs))
	}
	ids := slices.Clone(attendeeIDs)
	slices.Sort(ids)
	return outcome, slices.Compact(ids), nil
}

// ValidateActionPlanInput cleans an action plan: a summary and at least one
// item, each with a title; owners and due dates are optional, and every
// item starts not done. Returns BAD_USER_INPUT naming the field, e.g.
// "items[1].title".
func ValidateActionPlanInput(in ActionPlanInput) (ActionPlanInput, error) {
	var err error
	if in.Summary, err = RequiredText("summary", in.Summary, maxDescriptionLen); err != nil {
		return in, err
	}
	if len(in.Items) == 0 {
		return in, InvalidField("items", "an action plan needs at least one action")
	}
	if len(in.Items) > maxActionItems {
		return in, InvalidField("items", "an action plan has at most %d actions, got %d", maxActionItems, len(in.Items))
	}
	items := make([]ActionItem, len(in.Items))
	for i, item := range in.Items {
		if item.Title, err = RequiredText(fmt.Sprintf("items[%d].title", i), item.Title, maxItemTitleLen); err != nil {
			return in, err
		}
		item.Done = false
		items[i] = item
	}
	in.Items = items
	return in, nil
}
