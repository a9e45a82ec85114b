package network

import "grappe/domain"

// Whole returns the whole graph with each node's measures, for drawing it:
// the nodes by member id, the edges once each by (lower, higher) node,
// with their CONFIRMED link counts. The local measures, PageRank,
// communities and articulation points are computed if they are not yet
// (Warm computes them first); the path measures never are: until they are
// computed (PathMeasuresAt), betweenness is unknown and no node is a
// broker. The brokers are the first domain.GraphBrokers(n) members of
// Brokers.
func (s *Snapshot) Whole() domain.NetworkGraph {
	n := len(s.ids)
	g := domain.NetworkGraph{AsOf: s.AsOf, Nodes: make([]domain.NetworkNode, n), Edges: make([]domain.NetworkEdge, 0, s.EdgeCount())}
	pr := s.pageRank()
	comm := s.communities().community
	for i := range n {
		g.Nodes[i] = domain.NetworkNode{MemberID: s.ids[i], Degree: s.degree(int32(i)), PageRank: pr[i], Community: int(comm[i])}
		lo := s.offsets[i]
		for k, j := range s.neighbours(int32(i)) {
			if int(j) > i {
				g.Edges = append(g.Edges, domain.NetworkEdge{From: i, To: int(j), Links: int(s.counts[int(lo)+k])})
			}
		}
	}
	for _, i := range s.articulation() {
		g.Nodes[i].Articulation = true
	}
	if s.paths.ready() {
		g.PathMeasures = true
		for i, b := range s.pathMeasures().betweenness {
			g.Nodes[i].Betweenness = b
		}
		for _, b := range s.Brokers(domain.GraphBrokers(n)) {
			i, _ := s.index(b.Member)
			g.Nodes[i].Broker = true
		}
	}
	return g
}
