package network

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestCommonPartners(t *testing.T) {
	// 1 — 2 — 3, 1 — 4 — 3, 4 — 5, 2 — 6 — 7, 8 isolated.
	s := Build([]int64{1, 2, 3, 4, 5, 6, 7, 8}, []Pair{
		{A: 1, B: 2, Link: 10}, {A: 2, B: 3, Link: 11}, {A: 1, B: 4, Link: 12}, {A: 4, B: 3, Link: 13},
		{A: 4, B: 5, Link: 14}, {A: 2, B: 6, Link: 15}, {A: 6, B: 7, Link: 16},
	}, 1, time.Now())
	partners, common, ok := s.CommonPartners(1)
	if !ok || !slices.Equal(partners, []int64{2, 4}) {
		t.Fatalf("partners of 1 = %v, %v", partners, ok)
	}
	want := map[int64][]Common{
		3: {{2, 3}, {4, 3}},
		5: {{4, 3}},
		6: {{2, 3}},
	}
	if !reflect.DeepEqual(common, want) {
		t.Fatalf("common partners of 1 = %v, want %v", common, want)
	}
	// A partner of a partner that is a partner itself is no candidate.
	s = Build([]int64{1, 2, 3}, []Pair{{A: 1, B: 2, Link: 1}, {A: 2, B: 3, Link: 2}, {A: 1, B: 3, Link: 3}}, 1, time.Now())
	if _, common, _ := s.CommonPartners(1); len(common) != 0 {
		t.Fatalf("triangle: %v", common)
	}
	if partners, common, ok := s.CommonPartners(8); ok || partners != nil || common != nil {
		t.Fatal("a member outside the graph has no partners")
	}
}
