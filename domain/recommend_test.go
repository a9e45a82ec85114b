package domain

import (
	"math"
	"reflect"
	"testing"
)

func TestRecommend(t *testing.T) {
	in := RecommendInput{
		Member:   1,
		Region:   "Île-de-France",
		Partners: []int64{2, 3},
		Candidates: []RecommendationCandidate{
			{ID: 1, Name: "Self", Region: "Île-de-France", Active: true},
			{ID: 2, Name: "Partner", Region: "Île-de-France", Active: true},
			{ID: 4, Name: "Delta", Region: "Bretagne", Active: true},
			{ID: 5, Name: "Echo", Region: "Île-de-France", Active: true},
			{ID: 6, Name: "Foxtrot", Region: "Île-de-France", Active: false},
			{ID: 7, Name: "Golf", Region: "Normandie", Active: true},
			{ID: 8, Name: "Alpha", Region: "Île-de-France", Active: true},
			{ID: 9, Name: "Nobody", Region: "Normandie", Active: true},
		},
		Names: map[int64]string{2: "Bravo", 3: "Charlie"},
		Complements: []ComplementMatch{
			{Candidate: 4, TradeID: 10, TradeName: "Sensor manufacturer", OtherTradeID: 20, OtherName: "Distributor", Kind: ComplementDistribution},
			{Candidate: 4, TradeID: 11, TradeName: "Software", OtherTradeID: 21, OtherName: "Test systems integrator", Kind: ComplementIntegration, Description: "integrates what you manufacture"},
			{Candidate: 4, TradeID: 11, TradeName: "Software", OtherTradeID: 21, OtherName: "Test systems integrator", Kind: ComplementSupply},
			{Candidate: 4, TradeID: 12, TradeName: "Optics", OtherTradeID: 22, OtherName: "Dimensional", Kind: ComplementSupply},
			{Candidate: 6, TradeID: 10, TradeName: "Sensor manufacturer", OtherTradeID: 20, OtherName: "Distributor", Kind: ComplementDistribution},
			{Candidate: 2, TradeID: 10, TradeName: "Sensor manufacturer", OtherTradeID: 20, OtherName: "Distributor", Kind: ComplementDistribution},
		},
		CommonPartners: map[int64][]CommonPartner{
			7: {{ID: 2, Degree: 3}, {ID: 3, Degree: 2}},
			5: {{ID: 3, Degree: 2}},
			1: {{ID: 2, Degree: 3}},
		},
		SharedGroups: map[int64]int{7: 2, 6: 1},
		First:        10,
	}
	got := Recommend(in)
	aa7 := 2 * (1/math.Log(3) + 1/math.Log(2))
	want := []Recommendation{
		{MemberID: 7, Score: math.Round((aa7+3)*1e6) / 1e6, Reasons: []*RecommendationReason{
			{ReasonCommonPartners, "2 partners in common: Charlie and Bravo"},
			{ReasonSharedGroup, "2 working groups together"},
		}},
		{MemberID: 4, Score: 6, Reasons: []*RecommendationReason{
			{ReasonComplementaryTrade, "integrates what you manufacture"},
			{ReasonComplementaryTrade, "Distributor complements your Sensor manufacturer"},
		}},
		{MemberID: 5, Score: math.Round((2/math.Log(2)+0.5)*1e6) / 1e6, Reasons: []*RecommendationReason{
			{ReasonCommonPartners, "1 partner in common: Charlie"},
			{ReasonSameRegion, "also in Île-de-France"},
		}},
		{MemberID: 8, Score: 0.5, Reasons: []*RecommendationReason{{ReasonSameRegion, "also in Île-de-France"}}},
	}
	if !reflect.DeepEqual(got, want) {
		for _, r := range got {
			t.Logf("%d %.6f", r.MemberID, r.Score)
			for _, x := range r.Reasons {
				t.Logf("  %s %q", x.Kind, x.Detail)
			}
		}
		t.Fatal("unexpected recommendations")
	}
	in.First = 2
	if got := Recommend(in); len(got) != 2 || got[0].MemberID != 7 || got[1].MemberID != 4 {
		t.Fatalf("first 2: %+v", got)
	}
}

func TestRecommendTiesAndDetails(t *testing.T) {
	in := RecommendInput{
		Member: 1, Region: "Bretagne",
		Candidates: []RecommendationCandidate{
			{ID: 5, Name: "Bee", Region: "Bretagne", Active: true},
			{ID: 3, Name: "Bee", Region: "Bretagne", Active: true},
			{ID: 4, Name: "Ant", Region: "Bretagne", Active: true},
			{ID: 6, Name: "Hub", Active: true},
		},
		Names: map[int64]string{10: "Ten", 11: "Eleven", 12: "Twelve", 13: "Thirteen"},
		CommonPartners: map[int64][]CommonPartner{
			6: {{ID: 10, Degree: 4}, {ID: 11, Degree: 2}, {ID: 12, Degree: 2}, {ID: 13, Degree: 9}},
		},
		First: 10,
	}
	got := Recommend(in)
	ids := []int64{}
	for _, r := range got {
		ids = append(ids, r.MemberID)
	}
	if !reflect.DeepEqual(ids, []int64{6, 4, 3, 5}) {
		t.Fatalf("order = %v", ids)
	}
	if d := got[0].Reasons[0].Detail; d != "4 partners in common, including Eleven and Twelve" {
		t.Fatalf("detail = %q", d)
	}
	if got := Recommend(RecommendInput{Member: 1, Candidates: in.Candidates, First: 10}); len(got) != 0 {
		t.Fatalf("no signal, no recommendation: %+v", got)
	}
}
