package model

import "grappe/domain"

// PartnerRecommendation is a recommended member; the member is loaded only
// when selected (the resolver primes the member loader with it).
type PartnerRecommendation struct {
	MemberID int64
	Score    float64
	Reasons  []*domain.RecommendationReason
}
