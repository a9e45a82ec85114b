package postgres_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"grappe/domain"
)

// TestProfileGroupsAsGroupsOfMembers: the groups read with a member's
// profile are the page GroupsOfMembers gives, cursors included (sealed
// afresh, so equal in what they lead to); a viewer who may not read groups
// gets none.
func TestProfileGroupsAsGroupsOfMembers(t *testing.T) {
	t.Parallel()
	db := dashboardDB(t)
	ids := []int64{1, 2, 3, 6, 9}
	for _, first := range []int{1, 2, 20} {
		req := domain.PageRequest{First: &first}
		want, err := db.Groups().GroupsOfMembers(analyst, ids, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.MemberDetails().MembersWithDetails(analyst, ids, domain.ProfileParts{Groups: &req})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			w, g := want[id], got[id].Groups
			if g == nil || len(g.Items) != len(w.Items) || g.HasNextPage != w.HasNextPage {
				t.Fatalf("first %d, member %d: %+v, want %+v", first, id, g, w)
			}
			for _, i := range []int{0, len(w.Items) - 1} {
				if len(w.Items) == 0 {
					break
				}
				one := 1
				after := func(c string) []int64 {
					p, err := db.Groups().GroupsOfMembers(analyst, []int64{id}, domain.PageRequest{First: &one, After: c})
					if err != nil {
						t.Fatal(err)
					}
					var out []int64
					if p[id] == nil {
						return nil
					}
					for _, g := range p[id].Items {
						out = append(out, g.ID)
					}
					return out
				}
				if a, b := after(g.Cursor(i)), after(w.Cursor(i)); !slices.Equal(a, b) {
					t.Errorf("first %d, member %d: after cursor %d: %v, want %v", first, id, i, a, b)
				}
			}
			for i := range w.Items {
				if !reflect.DeepEqual(g.Items[i], w.Items[i]) {
					t.Errorf("first %d, member %d, group %d: %+v, want %+v", first, id, i, g.Items[i], w.Items[i])
				}
			}
		}
	}
	anonymous := domain.WithViewer(context.Background(), domain.Viewer{Role: domain.RolePublic})
	got, err := db.MemberDetails().MembersWithDetails(anonymous, ids, domain.ProfileParts{Groups: &domain.PageRequest{}})
	if err != nil || got[3].Groups != nil {
		t.Errorf("anonymous: %+v, %v", got[3], err)
	}
}
