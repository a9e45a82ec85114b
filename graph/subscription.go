package graph

import (
	"context"
	"errors"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// This file holds what the subscription resolvers share: whom a
// subscription follows, and how an event's object is read.

// events returns the events feed, or an error when this server has none.
func (r *Resolver) events() (*Events, error) {
	if r.Events == nil {
		return nil, errors.New("subscriptions are not served by this handler")
	}
	return r.Events, nil
}

// followed decodes the memberId argument and returns the member the
// viewer's subscription follows (0: everyone).
func followed(ctx context.Context, memberID *string) (int64, error) {
	var asked int64
	if memberID != nil {
		id, err := globalid.DecodeAs("memberId", globalid.TypeMember, *memberID)
		if err != nil {
			return 0, err
		}
		asked = id
	}
	return domain.Followed(domain.ViewerFrom(ctx), asked)
}

// memberEvents serves a subscription to the objects of a topic that
// concern the member it follows (memberID, see followed): for each batch,
// objects picks whom each changed object concerns, load reads those of the
// member with the subscriber's visibility, and event makes an object's
// event with its id and state; an object whose state is what the
// subscription last sent of it sends nothing.
func memberEvents[T any, K comparable, E any](ctx context.Context, r *Resolver, memberID *string, t topic,
	objects func(*happening) map[int64][]int64, load func(context.Context, []int64) (map[int64]T, error),
	event func(T) (int64, K, E),
) (<-chan E, error) {
	member, err := followed(ctx, memberID)
	if err != nil {
		return nil, err
	}
	events, err := r.events()
	if err != nil {
		return nil, err
	}
	sent := changed[K]{}
	return stream(ctx, events, t, events.log, func(ctx context.Context, h *happening) ([]E, error) {
		ids := concerning(objects(h), member)
		if len(ids) == 0 {
			return nil, nil
		}
		byID, err := load(ctx, ids)
		if err != nil {
			return nil, err
		}
		var out []E
		for _, o := range inOrder(ids, byID) {
			if id, state, ev := event(o); sent.news(id, state) {
				out = append(out, ev)
			}
		}
		return out, nil
	}), nil
}

// changed keeps what a subscription last sent of each object, so that a
// change that leaves an object's state as it was sends nothing.
type changed[K comparable] map[int64]K

// news reports whether id's state k differs from what was last sent, and
// records it.
func (c changed[K]) news(id int64, k K) bool {
	if last, ok := c[id]; ok && last == k {
		return false
	}
	c[id] = k
	return true
}

// linkEventKind is what a link's status says happened to it.
func linkEventKind(s domain.LinkStatus) model.BusinessLinkEventKind {
	switch s {
	case domain.LinkConfirmed:
		return model.BusinessLinkEventKindConfirmed
	case domain.LinkDeclined:
		return model.BusinessLinkEventKindDeclined
	case domain.LinkEnded:
		return model.BusinessLinkEventKindEnded
	}
	return model.BusinessLinkEventKindDeclared
}

// meetingEventKind is what a meeting's status says happened to it.
func meetingEventKind(s domain.MeetingStatus) model.MeetingEventKind {
	switch s {
	case domain.MeetingHeld:
		return model.MeetingEventKindOutcomeRecorded
	case domain.MeetingCancelled:
		return model.MeetingEventKindCancelled
	}
	return model.MeetingEventKindScheduled
}

// inOrder returns the objects of byID in the order of ids, leaving out
// those missing (the viewer may not see them).
func inOrder[T any](ids []int64, byID map[int64]T) []T {
	out := make([]T, 0, len(byID))
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
		}
	}
	return out
}

// canHearPlans returns FORBIDDEN unless the viewer hears of published
// action plans: analysts, staff and ACTIVE members.
func (r *Resolver) canHearPlans(ctx context.Context) error {
	v := domain.ViewerFrom(ctx)
	if err := domain.CanSubscribe(v); err != nil {
		return err
	}
	if v.Role.AtLeast(domain.RoleAnalyst) {
		return nil
	}
	if v.Role != domain.RoleMember {
		return domain.Errorf(domain.CodeForbidden, "action plans are distributed to members, analysts and staff")
	}
	own, err := r.Members.MembersByIDs(ctx, []int64{v.MemberID}, true)
	if err != nil {
		return err
	}
	if m := own[v.MemberID]; m == nil || m.Status != domain.StatusActive {
		return domain.Errorf(domain.CodeForbidden, "action plans are distributed to ACTIVE members")
	}
	return nil
}
