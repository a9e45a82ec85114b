package domain

import "testing"

func TestGroupPermissions(t *testing.T) {
	staff := Viewer{Role: RoleStaff}
	analyst := Viewer{Role: RoleAnalyst}
	public := Anonymous
	member := Viewer{Role: RoleMember, MemberID: 7}
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"public reads nothing", CanReadGroups(public), CodeForbidden},
		{"member reads", CanReadGroups(member), ""},
		{"analyst reads", CanReadGroups(analyst), ""},
		{"analyst writes nothing", CanWriteGroups(analyst), CodeForbidden},
		{"public writes nothing", CanWriteGroups(public), CodeForbidden},
		{"member writes", CanWriteGroups(member), ""},
		{"member acts as itself", CanActFor(member, 7), ""},
		{"member acts as another", CanActFor(member, 8), CodeForbidden},
		{"staff acts for anyone", CanActFor(staff, 8), ""},
		{"analyst acts for nobody", CanActFor(analyst, 8), CodeForbidden},
		{"lapsed member writes nothing", CheckWriterStatus(member, StatusLapsed), CodeForbidden},
		{"active member writes", CheckWriterStatus(member, StatusActive), ""},
		{"staff writes for a lapsed member's row", CheckWriterStatus(staff, StatusLapsed), ""},
		{"a lapsed member takes no part", CanTakePart(StatusLapsed), CodeConflict},
		{"lead leads", CanLeadGroup(member, 7), ""},
		{"participant does not lead", CanLeadGroup(member, 9), CodeForbidden},
		{"nobody leads a group without lead", CanLeadGroup(Viewer{Role: RoleMember}, 0), CodeForbidden},
		{"staff leads", CanLeadGroup(staff, 9), ""},
		{"analyst does not lead", CanLeadGroup(analyst, 0), CodeForbidden},
	} {
		if got := ErrorCode(c.err); got != c.code {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.code)
		}
	}
}

func TestGroupRules(t *testing.T) {
	open := &Question{RaisedBy: 1, Status: QuestionOpen}
	formed := &Question{RaisedBy: 1, Status: QuestionGroupFormed}
	closedQ := &Question{RaisedBy: 1, Status: QuestionClosed}
	active := &WorkingGroup{Status: GroupActive}
	closed := &WorkingGroup{Status: GroupClosed}
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"support an open question", CanSupport(open), ""},
		{"support a formed question", CanSupport(formed), ""},
		{"support a closed question", CanSupport(closedQ), CodeConflict},
		{"withdraw", CanWithdrawSupport(open, 2), ""},
		{"raiser withdraws", CanWithdrawSupport(open, 1), CodeBadUserInput},
		{"withdraw after forming", CanWithdrawSupport(formed, 2), CodeConflict},
		{"change an active group", CanChangeGroup(active), ""},
		{"change a closed group", CanChangeGroup(closed), CodeConflict},
		{"join with room", CanJoinGroup(active, 14, 15), ""},
		{"join a full group", CanJoinGroup(active, 15, 15), CodeConflict},
		{"join a closed group", CanJoinGroup(closed, 0, 15), CodeConflict},
		{"hold a scheduled meeting", CanChangeMeeting(&Meeting{Status: MeetingScheduled}), ""},
		{"hold a held meeting", CanChangeMeeting(&Meeting{Status: MeetingHeld}), CodeConflict},
		{"cancel a cancelled meeting", CanChangeMeeting(&Meeting{Status: MeetingCancelled}), CodeConflict},
	} {
		if got := ErrorCode(c.err); got != c.code {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.code)
		}
	}
	if FormsGroup(open, SupportersToFormGroup-1) || !FormsGroup(open, SupportersToFormGroup) || FormsGroup(formed, 5) {
		t.Error("FormsGroup: a group forms once, at three supporters")
	}
}
