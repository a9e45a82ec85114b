package domain

// This file holds who may read and write questions, working groups,
// meetings and action plans (SPEC §4), and the state rules of SPEC §3 they
// follow. The group service calls them before changing anything.

// CanReadGroups returns FORBIDDEN unless v is a member or above: questions,
// groups, meetings and plans are not shown to anonymous callers.
func CanReadGroups(v Viewer) error {
	if !v.Role.AtLeast(RoleMember) {
		return Errorf(CodeForbidden, "questions and working groups are visible to members and above only")
	}
	return nil
}

// CanWriteGroups returns FORBIDDEN unless v may write to questions and
// groups at all: staff, or a member. Analysts and anonymous callers write
// nothing.
func CanWriteGroups(v Viewer) error {
	if v.Role != RoleStaff && v.Role != RoleMember {
		return Errorf(CodeForbidden, "only members and staff can take part in working groups")
	}
	return nil
}

// CanActFor returns FORBIDDEN unless v is staff or the MEMBER speaking for
// memberID: a member raises, supports, joins and leaves only as itself.
func CanActFor(v Viewer, memberID int64) error {
	if err := CanWriteGroups(v); err != nil {
		return err
	}
	if v.Role == RoleMember && v.MemberID != memberID {
		return Errorf(CodeForbidden, "a member can only act as itself")
	}
	return nil
}

// CheckWriterStatus returns FORBIDDEN when v is a MEMBER whose own
// membership is not ACTIVE (own is its status): a lapsed member reads but
// does not write.
func CheckWriterStatus(v Viewer, own MemberStatus) error {
	if v.Role == RoleMember && own != StatusActive {
		return Errorf(CodeForbidden, "a lapsed member cannot write")
	}
	return nil
}

// CanTakePart returns CONFLICT unless the member acted for (whose status is
// status) is ACTIVE: staff cannot make a former member raise, support or join.
func CanTakePart(status MemberStatus) error {
	if status != StatusActive {
		return Errorf(CodeConflict, "the member has left the cluster")
	}
	return nil
}

// CanLeadGroup returns FORBIDDEN unless v is staff or the MEMBER currently
// leading the group (leadID, 0 when it has none): the lead schedules
// meetings, records outcomes, cancels meetings, publishes the action plan
// and closes the group.
func CanLeadGroup(v Viewer, leadID int64) error {
	if v.Role == RoleStaff {
		return nil
	}
	if v.Role == RoleMember && leadID != 0 && v.MemberID == leadID {
		return nil
	}
	return Errorf(CodeForbidden, "only the group's lead or staff can do this")
}

// CanSupport returns CONFLICT for a CLOSED question.
func CanSupport(q *Question) error {
	if q.Status == QuestionClosed {
		return Errorf(CodeConflict, "the question is closed")
	}
	return nil
}

// FormsGroup reports whether a question with supporters distinct supporters
// forms its working group now: it is still OPEN and has enough of them.
func FormsGroup(q *Question, supporters int) bool {
	return q.Status == QuestionOpen && supporters >= SupportersToFormGroup
}

// CanWithdrawSupport returns BAD_USER_INPUT when memberID raised q (the
// raiser is its first supporter for good) and CONFLICT unless q is OPEN
// (once the group formed, supports stay).
func CanWithdrawSupport(q *Question, memberID int64) error {
	if q.RaisedBy == memberID {
		return &Error{Code: CodeBadUserInput, Message: "the member who raised a question cannot withdraw its support", Field: "memberId"}
	}
	if q.Status != QuestionOpen {
		return Errorf(CodeConflict, "support can only be withdrawn while the question is OPEN")
	}
	return nil
}

// CanChangeGroup returns CONFLICT for a CLOSED group: it takes no more
// participants, meetings or plans.
func CanChangeGroup(g *WorkingGroup) error {
	if g.Status == GroupClosed {
		return Errorf(CodeConflict, "the working group is closed")
	}
	return nil
}

// CanJoinGroup returns CONFLICT when g is CLOSED or already has capacity
// participants.
func CanJoinGroup(g *WorkingGroup, participants, capacity int) error {
	if err := CanChangeGroup(g); err != nil {
		return err
	}
	if participants >= capacity {
		return Errorf(CodeConflict, "the working group is full (%d participants)", capacity)
	}
	return nil
}

// CanChangeMeeting returns CONFLICT unless m is SCHEDULED: only a scheduled
// meeting can be held or cancelled.
func CanChangeMeeting(m *Meeting) error {
	if m.Status != MeetingScheduled {
		return Errorf(CodeConflict, "the meeting is %s, not SCHEDULED", m.Status)
	}
	return nil
}
