package network

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"grappe/domain"
)

// fixed is a Source of one snapshot, measured or not.
type fixed struct{ s *Snapshot }

func (f fixed) Snapshot() *Snapshot { return f.s }
func (f fixed) Measured() *Snapshot { return f.s }

// line returns a snapshot of the path 1–2–…–n, link 100+i joining i and
// i+1, and member 99 isolated.
func line(n int64) *Snapshot {
	members := []int64{99}
	var pairs []Pair
	for i := int64(1); i <= n; i++ {
		members = append(members, i)
		if i > 1 {
			pairs = append(pairs, Pair{A: i - 1, B: i, Link: 99 + i})
		}
	}
	return Build(members, pairs, 1, time.Now())
}

func as(role domain.Role, member int64) context.Context {
	return domain.WithViewer(context.Background(), domain.Viewer{Role: role, MemberID: member})
}

func intp(n int) *int { return &n }

// wantError fails unless err is a domain error of code on field.
func wantError(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Errorf("error %v, want %s on %q", err, code, field)
	}
}

// TestAnalyticsPath checks the path's policy, its maxHops default and
// range.
func TestAnalyticsPath(t *testing.T) {
	a := Analytics{Source: fixed{line(10)}}
	p, err := a.Path(as(domain.RoleMember, 1), 1, 7, nil)
	if err != nil || p == nil || p.Hops() != 6 {
		t.Fatalf("within the default 6 hops: %+v, %v", p, err)
	}
	if diff := cmp.Diff(&domain.Path{Members: []int64{1, 2, 3, 4, 5, 6, 7}, Links: []int64{101, 102, 103, 104, 105, 106}}, p); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	if p, err := a.Path(as(domain.RoleMember, 1), 1, 8, nil); err != nil || p != nil {
		t.Errorf("beyond the default 6 hops: %+v, %v", p, err)
	}
	if p, err := a.Path(as(domain.RoleAnalyst, 0), 1, 8, intp(7)); err != nil || p == nil {
		t.Errorf("an analyst, 7 hops: %+v, %v", p, err)
	}
	for _, n := range []int{0, domain.MaxPathHops + 1} {
		_, err := a.Path(as(domain.RoleStaff, 0), 1, 2, intp(n))
		wantError(t, err, domain.CodeBadUserInput, "maxHops")
	}
	_, err = a.Path(as(domain.RoleMember, 2), 1, 3, nil)
	wantError(t, err, domain.CodeForbidden, "")
	wantError(t, a.CanAskPaths(as(domain.RolePublic, 0)), domain.CodeForbidden, "")
	if err := a.CanAskPaths(as(domain.RoleMember, 5)); err != nil {
		t.Errorf("a member may ask: %v", err)
	}
}

// TestAnalyticsNeighborhood checks the neighbourhood's policy, defaults
// and ranges, and the member outside the graph.
func TestAnalyticsNeighborhood(t *testing.T) {
	a := Analytics{Source: fixed{line(5)}}
	sub, err := a.Neighborhood(as(domain.RoleMember, 1), 3, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &domain.Subgraph{Nodes: []int64{3, 2, 4}, Edges: [][2]int64{{3, 4}, {2, 3}}}
	if diff := cmp.Diff(want, sub); diff != "" {
		t.Errorf("radius 1 by default (-want +got):\n%s", diff)
	}
	if sub, _ := a.Neighborhood(as(domain.RoleMember, 1), 3, intp(2), intp(3)); len(sub.Nodes) != 3 || !sub.Truncated {
		t.Errorf("radius 2, 3 nodes: %+v", sub)
	}
	if sub, _ := a.Neighborhood(as(domain.RoleMember, 1), 42, nil, nil); !cmp.Equal(sub, &domain.Subgraph{Nodes: []int64{42}, Edges: [][2]int64{}}) {
		t.Errorf("outside the graph: %+v", sub)
	}
	for _, c := range []struct {
		radius, maxNodes *int
		field            string
	}{
		{intp(0), nil, "radius"},
		{intp(domain.MaxNeighborhoodHops + 1), nil, "radius"},
		{nil, intp(0), "maxNodes"},
		{nil, intp(domain.MaxNeighborhoodSize + 1), "maxNodes"},
	} {
		_, err := a.Neighborhood(as(domain.RoleStaff, 0), 3, c.radius, c.maxNodes)
		wantError(t, err, domain.CodeBadUserInput, c.field)
	}
	_, err = a.Neighborhood(as(domain.RolePublic, 0), 3, nil, nil)
	wantError(t, err, domain.CodeForbidden, "")
}

// TestAnalyticsCentrality checks who may read a member's centrality and
// its community's members.
func TestAnalyticsCentrality(t *testing.T) {
	a := Analytics{Source: fixed{line(3)}}
	own, err := a.Centrality(as(domain.RoleMember, 2), 2)
	if err != nil {
		t.Fatal(err)
	}
	if own.Degree != 2 || own.Community == nil || own.Community.Members != nil || !own.Community.Withholds("members") {
		t.Errorf("own centrality: %+v", own)
	}
	staff, err := a.Centrality(as(domain.RoleAnalyst, 0), 2)
	if err != nil || staff.Community == nil || len(staff.Community.Members) != staff.Community.Size || staff.Community.Withholds("members") {
		t.Errorf("an analyst: %+v, %v", staff, err)
	}
	if c, err := a.Centrality(as(domain.RoleStaff, 0), 42); err != nil || c.Community != nil || c.Degree != 0 {
		t.Errorf("outside the graph: %+v, %v", c, err)
	}
	_, err = a.Centrality(as(domain.RoleMember, 1), 2)
	wantError(t, err, domain.CodeForbidden, "")
}

// TestAnalyticsNetwork checks the network's policy and the first default
// and range of its rankings.
func TestAnalyticsNetwork(t *testing.T) {
	a := Analytics{Source: fixed{line(15)}}
	_, err := a.Network(as(domain.RoleMember, 1))
	wantError(t, err, domain.CodeForbidden, "")
	n, err := a.Network(as(domain.RoleAnalyst, 0))
	if err != nil {
		t.Fatal(err)
	}
	if n.MemberCount() != 16 || n.LinkCount() != 14 || n.Estimated() {
		t.Errorf("counts %d, %d, estimated %v", n.MemberCount(), n.LinkCount(), n.Estimated())
	}
	if d, err := n.Diameter(); d != 14 || err != nil {
		t.Errorf("diameter %d, %v", d, err)
	}
	if xs, err := n.Central(domain.MeasureDegree, nil); len(xs) != domain.DefaultRanked || err != nil {
		t.Errorf("central by default: %d, %v", len(xs), err)
	}
	if xs, err := n.Brokers(intp(3)); len(xs) != 3 || err != nil || xs[0].MemberID != 8 {
		t.Errorf("brokers: %+v, %v", xs, err)
	}
	for _, k := range []int{0, domain.MaxRanked + 1} {
		_, err := n.Brokers(intp(k))
		wantError(t, err, domain.CodeBadUserInput, "first")
		_, err = n.Central(domain.MeasurePageRank, intp(k))
		wantError(t, err, domain.CodeBadUserInput, "first")
	}
	_, err = n.Central("HEIGHT", nil)
	wantError(t, err, domain.CodeBadUserInput, "by")
}

// TestAnalyticsPathMeasuresUnavailable checks that the path measures of a
// large network answer UNAVAILABLE until its estimates are computed.
func TestAnalyticsPathMeasuresUnavailable(t *testing.T) {
	members := make([]int64, ExactLimit+1)
	for i := range members {
		members[i] = int64(i + 1)
	}
	a := Analytics{Source: fixed{Build(members, nil, 1, time.Now())}}
	_, err := a.Centrality(as(domain.RoleStaff, 0), 1)
	wantError(t, err, domain.CodeUnavailable, "")
	n, err := a.Network(as(domain.RoleStaff, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.Brokers(nil)
	wantError(t, err, domain.CodeUnavailable, "")
	_, err = n.Central(domain.MeasureCloseness, nil)
	wantError(t, err, domain.CodeUnavailable, "")
	if _, err := n.Central(domain.MeasureDegree, nil); err != nil {
		t.Errorf("degree needs no path measure: %v", err)
	}
	_, err = n.AverageShortestPath()
	wantError(t, err, domain.CodeUnavailable, "")
}

// recommender is a RecommendService that records the limits it is asked
// for; member 3 complements member 1.
type recommender struct{ limits []int }

func (r *recommender) ComplementMatches(ctx context.Context, memberID int64) ([]domain.ComplementMatch, error) {
	return []domain.ComplementMatch{{Candidate: 3, TradeID: 1, TradeName: "Casting", OtherTradeID: 2, OtherName: "Machining"}}, nil
}

func (r *recommender) SharedGroups(ctx context.Context, memberID int64) (map[int64]int, error) {
	return map[int64]int{}, nil
}

func (r *recommender) RecommendationMembers(ctx context.Context, ids []int64, region string, exclude []int64, limit int) ([]*domain.Member, error) {
	r.limits = append(r.limits, limit)
	var out []*domain.Member
	for _, id := range ids {
		out = append(out, &domain.Member{ID: id, Name: "M" + string(rune('0'+id)), Status: domain.StatusActive})
	}
	return out, nil
}

// TestAnalyticsRecommendedPartners checks the policy, the default and
// range of first, a LAPSED member, and the candidates returned with the
// recommendations.
func TestAnalyticsRecommendedPartners(t *testing.T) {
	r := &recommender{}
	a := Analytics{Source: fixed{line(3)}, Recommender: r}
	m := &domain.Member{ID: 1, Status: domain.StatusActive}
	recs, err := a.RecommendedPartners(as(domain.RoleMember, 1), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A complementary trade, and partner 2 (degree 2) in common.
	if want := math.Round((3+2/math.Ln2)*1e6) / 1e6; len(recs.Partners) != 1 || recs.Partners[0].MemberID != 3 || recs.Partners[0].Score != want {
		t.Errorf("recommendations %+v", recs.Partners)
	}
	if len(recs.Candidates) != 2 || !cmp.Equal(r.limits, []int{domain.DefaultRecommendations}) {
		t.Errorf("candidates %d, limits %v", len(recs.Candidates), r.limits)
	}
	for _, n := range []int{0, domain.MaxRecommendations + 1} {
		_, err := a.RecommendedPartners(as(domain.RoleStaff, 0), m, intp(n))
		wantError(t, err, domain.CodeBadUserInput, "first")
	}
	_, err = a.RecommendedPartners(as(domain.RoleMember, 2), m, nil)
	wantError(t, err, domain.CodeForbidden, "")
	lapsed := &domain.Member{ID: 1, Status: domain.StatusLapsed}
	if recs, err := a.RecommendedPartners(as(domain.RoleAnalyst, 0), lapsed, nil); err != nil || recs.Partners == nil || len(recs.Partners) != 0 {
		t.Errorf("a LAPSED member: %+v, %v", recs, err)
	}
	if len(r.limits) != 1 {
		t.Errorf("storage read %d times", len(r.limits))
	}
}
