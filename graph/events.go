package graph

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"grappe/domain"
	"grappe/network"
)

// Audiences tells whom announced changes concern (postgres.DB implements
// it). Its answers route events to subscriptions and are never shown.
type Audiences interface {
	// LinkParties returns the two members of each link.
	LinkParties(ctx context.Context, ids []int64) (map[int64][]int64, error)
	// MeetingMembers returns the members taking part in each meeting's group.
	MeetingMembers(ctx context.Context, ids []int64) (map[int64][]int64, error)
	// GroupQuestionMembers returns who raised or supported the question
	// each group was formed from.
	GroupQuestionMembers(ctx context.Context, ids []int64) (map[int64][]int64, error)
}

// Events hands the changes the database announces, whichever server or
// SQL session made them, and the network graph's new versions to this
// server's subscriptions. Each batch of changes is routed once (whom each
// change concerns, one statement per kind of change that someone follows);
// each subscription then reads what concerns it with its own viewer.
//
// A subscription that falls behind (its client reads slower than events
// come) is dropped rather than buffered without bound: it ends, and the
// client may subscribe again.
type Events struct {
	audiences Audiences
	log       *slog.Logger
	batches   chan domain.DataChanges

	sent    atomic.Uint64 // events sent to subscribers
	dropped atomic.Uint64 // subscriptions dropped for falling behind

	mu        sync.Mutex
	followers map[*follower]struct{}
	following [topicCount]int // followers per topic
}

// topic is what a subscription follows.
type topic int

const (
	topicLinks topic = iota
	topicMeetings
	topicPlans
	topicGroups
	topicNetwork
	topicCount
)

// happening is a batch of changes as routed: what changed and whom it
// concerns (the members of each object).
type happening struct {
	links    map[int64][]int64 // changed links → their parties
	meetings map[int64][]int64 // changed meetings → the members of their group
	plans    []int64           // action plans published
	groups   map[int64][]int64 // groups formed → who raised or supported their question
	network  *network.Snapshot // a new version of the graph
}

// concerning returns the ids of objects whose members include member, or
// all of them when member is 0, in order.
func concerning(objects map[int64][]int64, member int64) []int64 {
	var ids []int64
	for id, members := range objects {
		if member == 0 || slices.Contains(members, member) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// follower is one subscription's place in Events.
type follower struct {
	topic   topic
	queue   chan *happening
	dropped chan struct{} // closed when Events dropped it for falling behind
}

// followerQueue is how many batches a subscription may have waiting.
const followerQueue = 64

// NewEvents returns the events of audiences' database. Run routes them.
func NewEvents(audiences Audiences, log *slog.Logger) *Events {
	return &Events{audiences: audiences, log: log, batches: make(chan domain.DataChanges, 1024),
		followers: map[*follower]struct{}{}}
}

// Publish hands over a batch of announced changes. It does not wait: if
// the router is more than 1,024 batches behind, the batch is dropped (and
// logged).
func (e *Events) Publish(batch domain.DataChanges) {
	if batch.Unknown() {
		return // changes that were not announced cannot be told apart
	}
	select {
	case e.batches <- batch:
	default:
		e.log.Warn("events: the router fell behind, a batch of changes was dropped", "changes", len(batch))
	}
}

// NetworkBuilt hands over a new version of the network graph.
func (e *Events) NetworkBuilt(snap *network.Snapshot) {
	if e.count(topicNetwork) > 0 {
		e.dispatch(&happening{network: snap})
	}
}

// Run routes the published batches until ctx ends.
func (e *Events) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case batch := <-e.batches:
			h, err := e.route(ctx, batch)
			if err != nil {
				if ctx.Err() == nil {
					e.log.Warn("events: could not tell whom changes concern; their events are lost", "err", err)
				}
				continue
			}
			if h != nil {
				e.dispatch(h)
			}
		}
	}
}

// route reads whom the changes of batch concern, for the topics someone
// follows; nil when nobody follows any of them.
func (e *Events) route(ctx context.Context, batch domain.DataChanges) (*happening, error) {
	var h happening
	routed := false
	var err error
	if ids := namedIDs(batch, "business_links", 0); len(ids) > 0 && e.count(topicLinks) > 0 {
		if h.links, err = e.audiences.LinkParties(ctx, ids); err != nil {
			return nil, err
		}
		routed = true
	}
	if ids := namedIDs(batch, "meetings", 0); len(ids) > 0 && e.count(topicMeetings) > 0 {
		if h.meetings, err = e.audiences.MeetingMembers(ctx, ids); err != nil {
			return nil, err
		}
		routed = true
	}
	if ids := namedIDs(batch, "action_plans", domain.ChangeInsert); len(ids) > 0 && e.count(topicPlans) > 0 {
		h.plans, routed = ids, true
	}
	if ids := namedIDs(batch, "working_groups", domain.ChangeInsert); len(ids) > 0 && e.count(topicGroups) > 0 {
		if h.groups, err = e.audiences.GroupQuestionMembers(ctx, ids); err != nil {
			return nil, err
		}
		routed = true
	}
	if !routed {
		return nil, nil
	}
	return &h, nil
}

// namedIDs returns the keys the changes of table by op (any when 0) name,
// in order and each once. Changes that name no rows (more than a payload
// holds, a TRUNCATE) have no events.
func namedIDs(batch domain.DataChanges, table string, op domain.ChangeOp) []int64 {
	var ids []int64
	for _, c := range batch {
		if c.Table == table && (op == 0 || c.Op == op) {
			ids = append(ids, c.IDs...)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// dispatch queues h for every follower of its topics; one whose queue is
// full is dropped.
func (e *Events) dispatch(h *happening) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for f := range e.followers {
		if !h.about(f.topic) {
			continue
		}
		select {
		case f.queue <- h:
		default:
			e.drop(f)
		}
	}
}

// about reports whether h holds anything of topic t.
func (h *happening) about(t topic) bool {
	switch t {
	case topicLinks:
		return len(h.links) > 0
	case topicMeetings:
		return len(h.meetings) > 0
	case topicPlans:
		return len(h.plans) > 0
	case topicGroups:
		return len(h.groups) > 0
	case topicNetwork:
		return h.network != nil
	}
	return false
}

// follow registers a subscription to t.
func (e *Events) follow(t topic) *follower {
	f := &follower{topic: t, queue: make(chan *happening, followerQueue), dropped: make(chan struct{})}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.followers[f] = struct{}{}
	e.following[t]++
	return f
}

// unfollow removes a subscription that ended.
func (e *Events) unfollow(f *follower) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.followers[f]; ok {
		delete(e.followers, f)
		e.following[f.topic]--
	}
}

// drop removes a follower that fell behind and tells it; e.mu is held.
func (e *Events) drop(f *follower) {
	delete(e.followers, f)
	e.following[f.topic]--
	close(f.dropped)
	e.dropped.Add(1)
	e.log.Info("events: a subscription fell behind and was ended", "topic", int(f.topic))
}

// count returns how many subscriptions follow t.
func (e *Events) count(t topic) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.following[t]
}

// Subscriptions returns how many subscriptions this server serves.
func (e *Events) Subscriptions() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.followers)
}

// Sent returns how many events this server sent to subscribers.
func (e *Events) Sent() uint64 { return e.sent.Load() }

// Dropped returns how many subscriptions were ended for falling behind.
func (e *Events) Dropped() uint64 { return e.dropped.Load() }

// stream serves one subscription: for each happening it follows, events
// returns what to send (read with the subscriber's viewer), sent in turn
// on out. It ends, closing out, when ctx ends or the subscription is
// dropped.
func stream[T any](ctx context.Context, e *Events, t topic, log *slog.Logger, events func(context.Context, *happening) ([]T, error)) <-chan T {
	f := e.follow(t)
	out := make(chan T)
	go func() {
		defer close(out)
		defer e.unfollow(f)
		for {
			var h *happening
			select {
			case <-ctx.Done():
				return
			case <-f.dropped:
				return
			case h = <-f.queue:
			}
			evs, err := events(ctx, h)
			if err != nil {
				if ctx.Err() == nil {
					log.Warn("events: could not read an event for a subscriber; it is skipped", "err", err)
				}
				continue
			}
			for _, ev := range evs {
				select {
				case out <- ev:
					e.sent.Add(1)
				case <-ctx.Done():
					return
				case <-f.dropped:
					return
				}
			}
		}
	}()
	return out
}
