package graph

import (
	"testing"
	"time"

	"grappe/domain"
	"grappe/globalid"
)

func TestNetworkGraphMapping(t *testing.T) {
	g := domain.NetworkGraph{AsOf: time.Unix(100, 0),
		Nodes: []domain.NetworkNode{{MemberID: 7, Degree: 1, PageRank: 0.5, Community: 0, Betweenness: 0.25, Broker: true},
			{MemberID: 9, Degree: 1, PageRank: 0.5, Community: 1, Articulation: true}},
		Edges: []domain.NetworkEdge{{From: 0, To: 1, Links: 3}}}
	for _, measured := range []bool{false, true} {
		g.PathMeasures = measured
		out := networkGraph(g)
		if !out.AsOf.Equal(g.AsOf) || len(out.Nodes) != 2 || len(out.Edges) != 1 {
			t.Fatalf("%+v", out)
		}
		a, b := out.Nodes[0], out.Nodes[1]
		if a.MemberID != 7 || *a.Community != 0 || !a.Broker || a.Articulation || b.MemberID != 9 || *b.Community != 1 || !b.Articulation {
			t.Errorf("nodes %+v, %+v", a, b)
		}
		if measured != (a.Betweenness != nil) || measured && (*a.Betweenness != 0.25 || *b.Betweenness != 0) {
			t.Errorf("path measures %v: betweenness %v, %v", measured, a.Betweenness, b.Betweenness)
		}
		e := out.Edges[0]
		if e.From != globalid.Encode(globalid.TypeMember, 7) || e.To != globalid.Encode(globalid.TypeMember, 9) || e.Links != 3 {
			t.Errorf("edge %+v", e)
		}
	}
}
