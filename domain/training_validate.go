package domain

import "slices"

// Limits of trainings.
const (
	MaxTrainingMinutes  = 480  // longest training: a working day
	MaxTrainingCapacity = 1000 // most seats of a training
)

// ValidateTrainingInput cleans a training: a title, a known theme, a start,
// a duration of 1 to MaxTrainingMinutes minutes and a capacity of 1 to
// MaxTrainingCapacity seats; the place and the description are optional. A
// blank string counts as missing. Returns BAD_USER_INPUT naming the field.
func ValidateTrainingInput(in TrainingInput) (TrainingInput, error) {
	var err error
	if in.Title, err = RequiredText("title", in.Title, maxShortTextLen); err != nil {
		return in, err
	}
	if !in.Theme.Valid() {
		return in, InvalidField("theme", "unknown theme %q", in.Theme)
	}
	if in.StartsAt.IsZero() {
		return in, InvalidField("startsAt", "startsAt is required")
	}
	if in.DurationMinutes < 1 || in.DurationMinutes > MaxTrainingMinutes {
		return in, InvalidField("durationMinutes", "durationMinutes must be between 1 and %d, got %d", MaxTrainingMinutes, in.DurationMinutes)
	}
	if in.Capacity < 1 || in.Capacity > MaxTrainingCapacity {
		return in, InvalidField("capacity", "capacity must be between 1 and %d, got %d", MaxTrainingCapacity, in.Capacity)
	}
	if in.Place, err = CleanText("place", in.Place, maxShortTextLen); err != nil {
		return in, err
	}
	if in.Description, err = CleanText("description", in.Description, maxDescriptionLen); err != nil {
		return in, err
	}
	return in, nil
}

// ValidateTrainingAttendees cleans the attendees of a training: at least
// one, at most maxAttendees; duplicates count once and the result is
// sorted. Returns BAD_USER_INPUT naming "attendeeIds".
func ValidateTrainingAttendees(ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, InvalidField("attendeeIds", "a held training needs at least one attendee: cancel a training nobody attended")
	}
	if len(ids) > maxAttendees {
		return nil, InvalidField("attendeeIds", "at most %d attendees, got %d", maxAttendees, len(ids))
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ValidateTrainingFilter checks a training filter: its statuses are known
// and To is not before From. Returns BAD_USER_INPUT naming the argument.
func ValidateTrainingFilter(f TrainingFilter) error {
	for _, t := range f.Themes {
		if !t.Valid() {
			return InvalidField("filter.themes", "unknown theme %q", t)
		}
	}
	for _, s := range f.Statuses {
		if !s.Valid() {
			return InvalidField("filter.statuses", "unknown status %q", s)
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return InvalidField("filter.to", "filter.to must not be before filter.from")
	}
	return nil
}
