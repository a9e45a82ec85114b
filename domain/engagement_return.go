package domain

import (
	"cmp"
	"slices"
)

// EngagementReturn is what a member gave the cluster over the last 12
// months and what it got back (SPEC: a member must find a return on the
// time it gives).
type EngagementReturn struct {
	MemberID int64
	// HoursGiven: meetings attended and trainings attended, from their
	// durations.
	HoursGiven float64
	// LinksFromCluster: CONFIRMED links confirmed in the period whose
	// origin is WORKING_GROUP, TRADE_SHOW or INTRODUCTION.
	LinksFromCluster int
	// ActionPlansReceived: action plans published while it was a member.
	ActionPlansReceived int
	TrainingsAttended   int
	// MembersMet: distinct other members met in meetings and trainings.
	MembersMet int
	// PurchasingSavings: cents saved in the EUR purchasing campaigns it
	// committed to that were ORDERED in the period (Member.purchasing).
	PurchasingSavings int
}

// The value points of what a member receives, per unit (see Ratio).
const (
	PointsPerClusterLink = 5
	PointsPerTraining    = 2
	PointsPerMemberMet   = 0.5
	// PointsPerSavedCent: a point per 100 EUR saved.
	PointsPerSavedCent = 0.0001
)

// ValuePoints weighs what the member received for its time: 5 points per
// link from the cluster, 2 per training attended, 0.5 per member met, 1 per
// 100 EUR saved in pooled purchases.
// Action plans are not weighed: they reach every ACTIVE member whatever
// the time it gave (a network of 100,000 members publishes thousands a
// year).
func (r EngagementReturn) ValuePoints() float64 {
	return PointsPerClusterLink*float64(r.LinksFromCluster) + PointsPerTraining*float64(r.TrainingsAttended) +
		PointsPerMemberMet*float64(r.MembersMet) + PointsPerSavedCent*float64(r.PurchasingSavings)
}

// Ratio is the value points received per hour given; nil when no time was
// given.
func (r EngagementReturn) Ratio() *float64 {
	if r.HoursGiven <= 0 {
		return nil
	}
	v := r.ValuePoints() / r.HoursGiven
	return &v
}

// ReceivedNothing reports whether the member got nothing it would not
// have had without giving its time: no link from the cluster, no training
// and no purchasing savings (action plans reach every member; members met
// are the time given itself).
func (r EngagementReturn) ReceivedNothing() bool {
	return r.LinksFromCluster == 0 && r.TrainingsAttended == 0 && r.PurchasingSavings == 0
}

// ReturnBucketBounds are the lower bounds of the dashboard's ratio
// buckets: [0, 1), [1, 2), [2, 5), [5, 10), 10 and more.
var ReturnBucketBounds = []float64{0, 1, 2, 5, 10}

// GivingWithoutReturnHours is the time given from which a member who
// received nothing is listed.
const GivingWithoutReturnHours = 6

// ReturnBucket counts the members whose ratio lies in [From, To) (To nil:
// no upper bound).
type ReturnBucket struct {
	From  float64
	To    *float64
	Count int
}

// GivingMember is a member who gave time and received nothing.
type GivingMember struct {
	MemberID   int64
	HoursGiven float64
}

// ReturnStats is the dashboard's view of the return on members' time.
type ReturnStats struct {
	// Distribution counts the members who gave time per ratio bucket.
	Distribution []ReturnBucket
	// GivingWithoutReturn lists the members who gave at least
	// GivingWithoutReturnHours and received nothing, the most hours first
	// (then by id), at most MaxAtRisk.
	GivingWithoutReturn []GivingMember
}

// SummarizeReturns makes the dashboard's view of members' returns.
func SummarizeReturns(returns []EngagementReturn) *ReturnStats {
	out := &ReturnStats{}
	for i, from := range ReturnBucketBounds {
		b := ReturnBucket{From: from}
		if i+1 < len(ReturnBucketBounds) {
			to := ReturnBucketBounds[i+1]
			b.To = &to
		}
		out.Distribution = append(out.Distribution, b)
	}
	for _, r := range returns {
		ratio := r.Ratio()
		if ratio == nil {
			continue
		}
		i, _ := slices.BinarySearch(ReturnBucketBounds, *ratio)
		if i == len(ReturnBucketBounds) || ReturnBucketBounds[i] > *ratio {
			i--
		}
		out.Distribution[i].Count++
		if r.HoursGiven >= GivingWithoutReturnHours && r.ReceivedNothing() {
			out.GivingWithoutReturn = append(out.GivingWithoutReturn, GivingMember{MemberID: r.MemberID, HoursGiven: r.HoursGiven})
		}
	}
	slices.SortFunc(out.GivingWithoutReturn, func(a, b GivingMember) int {
		return cmp.Or(cmp.Compare(b.HoursGiven, a.HoursGiven), cmp.Compare(a.MemberID, b.MemberID))
	})
	out.GivingWithoutReturn = out.GivingWithoutReturn[:min(len(out.GivingWithoutReturn), MaxAtRisk)]
	return out
}
