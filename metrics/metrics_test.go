package metrics

import (
	"fmt"
	"testing"
)

// TestOperationLabels: the trusted documents' operation names keep their
// label; of the others, the first MaxOperations seen get theirs and the
// rest fold into Other; an anonymous operation is Anonymous.
func TestOperationLabels(t *testing.T) {
	ops := newOperations([]string{"Trusted"})
	for i := range MaxOperations {
		name := fmt.Sprintf("Op%d", i)
		if got := ops.label(name); got != name {
			t.Fatalf("label(%s) = %s", name, got)
		}
	}
	for name, want := range map[string]string{
		"Op0": "Op0", "Op199": "Op199", "Late": Other, "Trusted": "Trusted", "": Anonymous,
	} {
		if got := ops.label(name); got != want {
			t.Errorf("label(%q) = %q; want %q", name, got, want)
		}
	}
}

// BenchmarkObserveRequest is the cost the access log adds per request.
func BenchmarkObserveRequest(b *testing.B) {
	m := New([]string{"MemberProfile"})
	r := Request{Operation: "MemberProfile", Type: "query", Outcome: "ok", Duration: 3e6, Statements: 2}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ObserveRequest(r)
		}
	})
}
