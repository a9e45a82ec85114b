package network

import (
	"slices"
	"testing"
	"time"
)

func TestEdges(t *testing.T) {
	pairs := []Pair{{A: 30, B: 10, Link: 1}, {A: 10, B: 20, Link: 2}, {A: 20, B: 10, Link: 3}, {A: 20, B: 30, Link: 4}, {A: 30, B: 99, Link: 5}}
	s := Build([]int64{10, 20, 30, 40}, pairs, 1, time.Unix(0, 0))
	var got [][2]int64
	for a, b := range s.Edges() {
		got = append(got, [2]int64{a, b})
	}
	want := [][2]int64{{10, 20}, {10, 30}, {20, 30}}
	if !slices.Equal(got, want) || len(got) != s.EdgeCount() {
		t.Fatalf("edges %v, want %v", got, want)
	}
	for range s.Edges() {
		break // stopping early must not panic
	}
}
