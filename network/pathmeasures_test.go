package network

import (
	"testing"
	"time"

	"grappe/domain"
)

// TestRequirePathMeasures checks that the all-pairs measures of a large
// network are refused, with UNAVAILABLE, until its estimates are computed,
// and served after; those of a small network always are.
func TestRequirePathMeasures(t *testing.T) {
	members := make([]int64, ExactLimit+1)
	for i := range members {
		members[i] = int64(i + 1)
	}
	big := Build(members, nil, 1, time.Now())
	if err := RequirePathMeasures(big, "diameter"); domain.ErrorCode(err) != domain.CodeUnavailable {
		t.Fatalf("before the estimates: %v", err)
	}
	big.Warm()
	if err := RequirePathMeasures(big, "diameter"); err != nil {
		t.Fatalf("after the estimates: %v", err)
	}
	small := Build(members[:10], nil, 1, time.Now())
	if err := RequirePathMeasures(small, "diameter"); err != nil {
		t.Fatalf("exact: %v", err)
	}
}
