package graph

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// groupLoaders batch the question, group, meeting and plan lookups of one
// request, so that a list of N costs one statement per relationship.
//
// Batches do not depend on timing: a resolver returning a list starts, for
// every relationship the query selects on its items, one batch with all
// their keys (the prefetch functions below), and registers on that
// relationship's loader what to prefetch for the objects it will fetch
// (the then fields). A loader runs those prefetches as soon as it has
// fetched, before any resolver waiting on it runs, so each level of a
// nested query is one statement per relationship whatever the scheduling.
type groupLoaders struct {
	question    *dataloadgen.Loader[int64, *domain.Question]
	group       *dataloadgen.Loader[int64, *domain.WorkingGroup]
	meeting     *dataloadgen.Loader[int64, *domain.Meeting]
	plan        *dataloadgen.Loader[int64, *domain.ActionPlan]
	planOfGroup *dataloadgen.Loader[int64, *domain.ActionPlan]

	supporterIDs *dataloadgen.Loader[int64, []int64]
	supporters   *dataloadgen.Loader[int64, []*domain.Member]
	participants *dataloadgen.Loader[int64, []domain.Participant]

	groupsOfMember  *dataloadgen.Loader[pageKey, *domain.Page[*domain.WorkingGroup]]
	groupCount      *dataloadgen.Loader[int64, int]
	meetingsOfGroup *dataloadgen.Loader[pageKey, *domain.Page[*domain.Meeting]]
	meetingCount    *dataloadgen.Loader[int64, int]

	// The members of each relationship have a loader of their own, so that
	// each relationship is one batch of its own.
	raiser, participantMember, attendee, owner *dataloadgen.Loader[int64, *domain.Member]

	questionThen     then[*domain.Question]
	groupThen        then[*domain.WorkingGroup]
	participantsThen then[[]domain.Participant]
	planThen         then[*domain.ActionPlan]
	meetingsThen     then[*domain.Page[*domain.Meeting]]
	memberGroupsThen then[*domain.Page[*domain.WorkingGroup]]
}

// newGroupLoaders returns fresh group loaders.
func newGroupLoaders(r *Resolver) *groupLoaders {
	opt := dataloadgen.WithWait(loaderWait)
	batch := r.Groups
	members := func() *dataloadgen.Loader[int64, *domain.Member] {
		return dataloadgen.NewMappedLoader(r.Members.MembersByIDs, opt)
	}
	l := &groupLoaders{
		meeting:           dataloadgen.NewMappedLoader(r.Groups.MeetingsByIDs, opt),
		supporterIDs:      dataloadgen.NewMappedLoader(r.Groups.SupporterIDs, opt),
		supporters:        dataloadgen.NewMappedLoader(batch.SupportersOf, opt),
		groupCount:        dataloadgen.NewMappedLoader(batch.CountGroupsOfMembers, opt),
		meetingCount:      dataloadgen.NewMappedLoader(batch.CountMeetingsOfGroups, opt),
		raiser:            members(),
		participantMember: members(),
		attendee:          members(),
		owner:             members(),
	}
	l.question = dataloadgen.NewMappedLoader(fetchThen(r.Groups.QuestionsByIDs, &l.questionThen), opt)
	l.group = dataloadgen.NewMappedLoader(fetchThen(r.Groups.GroupsByIDs, &l.groupThen), opt)
	l.plan = dataloadgen.NewMappedLoader(fetchThen(r.Groups.ActionPlansByIDs, &l.planThen), opt)
	l.planOfGroup = dataloadgen.NewMappedLoader(fetchThen(r.Groups.ActionPlansByGroup, &l.planThen), opt)
	l.participants = dataloadgen.NewMappedLoader(fetchThen(r.Groups.Participants, &l.participantsThen), opt)
	l.groupsOfMember = pageLoader(pagesThen(batch.GroupsOfMembers, &l.memberGroupsThen))
	l.meetingsOfGroup = pageLoader(pagesThen(batch.MeetingsOfGroups, &l.meetingsThen))
	return l
}

// forget empties the caches, so that what a mutation returns, and what
// later mutations of the same request read, reflects its writes.
func (l *groupLoaders) forget() {
	l.question.ClearAll()
	l.group.ClearAll()
	l.meeting.ClearAll()
	l.plan.ClearAll()
	l.planOfGroup.ClearAll()
	l.supporterIDs.ClearAll()
	l.supporters.ClearAll()
	l.participants.ClearAll()
	l.groupsOfMember.ClearAll()
	l.groupCount.ClearAll()
	l.meetingsOfGroup.ClearAll()
	l.meetingCount.ClearAll()
}

// then holds what to prefetch for the objects a loader fetches: functions
// registered by the resolvers of lists, keyed by the query field whose
// selection they serve, so that the items of a list register once.
type then[V any] struct {
	mu  sync.Mutex
	fns map[*ast.Field]func(context.Context, []V)
}

// add registers fn for the selection of field f.
func (t *then[V]) add(f *graphql.FieldContext, fn func(context.Context, []V)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fns == nil {
		t.fns = map[*ast.Field]func(context.Context, []V){}
	}
	if _, ok := t.fns[f.Field.Field]; !ok {
		t.fns[f.Field.Field] = fn
	}
}

// run runs the registered functions on what a loader fetched.
func (t *then[V]) run(ctx context.Context, values []V) {
	t.mu.Lock()
	fns := slices.Collect(maps.Values(t.fns))
	t.mu.Unlock()
	for _, fn := range fns {
		fn(ctx, values)
	}
}

// fetchThen wraps a loader's fetch so that it runs t on what it fetched.
func fetchThen[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error), t *then[V]) func(context.Context, []K) (map[K]V, error) {
	return func(ctx context.Context, keys []K) (map[K]V, error) {
		got, err := fetch(ctx, keys)
		if err == nil && len(got) > 0 {
			t.run(ctx, slices.Collect(maps.Values(got)))
		}
		return got, err
	}
}

// pagesThen wraps the fetch of a page loader so that it runs t on the
// pages it fetched.
func pagesThen[T any](fetch func(context.Context, []int64, domain.PageRequest) (map[int64]*domain.Page[T], error), t *then[*domain.Page[T]]) func(context.Context, []int64, domain.PageRequest) (map[int64]*domain.Page[T], error) {
	return func(ctx context.Context, ids []int64, page domain.PageRequest) (map[int64]*domain.Page[T], error) {
		got, err := fetch(ctx, ids, page)
		if err == nil && len(got) > 0 {
			t.run(ctx, slices.Collect(maps.Values(got)))
		}
		return got, err
	}
}

// pageKey asks for one page of a parent's connection.
type pageKey struct {
	ID       int64
	First    int
	HasFirst bool // false when first is not given
	After    string
}

// newPageKey returns the key of a page of parent id's connection.
func newPageKey(id int64, first *int, after *string) pageKey {
	k := pageKey{ID: id, After: deref(after)}
	if first != nil {
		k.First, k.HasFirst = *first, true
	}
	return k
}

// request returns the page request of a key.
func (k pageKey) request() domain.PageRequest {
	p := domain.PageRequest{After: k.After}
	if k.HasFirst {
		p.First = &k.First
	}
	return p
}

// pageLoader returns a loader of one page per parent: the keys asking for
// the same page (same arguments) share one fetch, so a list whose items
// all ask for the same page costs one statement.
func pageLoader[T any](fetch func(context.Context, []int64, domain.PageRequest) (map[int64]*domain.Page[T], error)) *dataloadgen.Loader[pageKey, *domain.Page[T]] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []pageKey) ([]*domain.Page[T], []error) {
		type args struct {
			first    int
			hasFirst bool
			after    string
		}
		byArgs := map[args][]int{}
		var order []args
		for i, k := range keys {
			a := args{k.First, k.HasFirst, k.After}
			if _, seen := byArgs[a]; !seen {
				order = append(order, a)
			}
			byArgs[a] = append(byArgs[a], i)
		}
		pages := make([]*domain.Page[T], len(keys))
		errs := make([]error, len(keys))
		for _, a := range order {
			idx := byArgs[a]
			ids := make([]int64, len(idx))
			for j, i := range idx {
				ids[j] = keys[i].ID
			}
			got, err := fetch(ctx, ids, keys[idx[0]].request())
			for _, i := range idx {
				pages[i], errs[i] = got[keys[i].ID], err
				if err == nil && pages[i] == nil {
					pages[i] = &domain.Page[T]{}
				}
			}
		}
		return pages, errs
	}, dataloadgen.WithWait(loaderWait))
}

// load loads one key, with nil (the zero value) for a key that has nothing.
func load[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], key K) (V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		var zero V
		return zero, nil
	}
	return v, err
}

// visibleMember loads a member through a relationship's loader, or nil when
// there is none or the viewer may not see it (storage leaves it out).
func visibleMember(ctx context.Context, l *dataloadgen.Loader[int64, *domain.Member], id int64) (*domain.Member, error) {
	return load(ctx, l, id)
}

// visibleMembers loads members through a relationship's loader, in the
// order of ids, leaving out those that do not exist or the viewer may not
// see (storage leaves them out).
func visibleMembers(ctx context.Context, l *dataloadgen.Loader[int64, *domain.Member], ids []int64) ([]*domain.Member, error) {
	thunks := make([]func() (*domain.Member, error), len(ids))
	for i, id := range ids {
		thunks[i] = l.LoadThunk(ctx, id)
	}
	out := make([]*domain.Member, 0, len(ids))
	for _, thunk := range thunks {
		m, err := thunk()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// node loads a question, group, meeting or plan by its global id type and
// database id; nil when there is none or the viewer may not read it.
func (l *groupLoaders) node(ctx context.Context, typ string, id int64) (model.Node, error) {
	switch typ {
	case globalid.TypeQuestion:
		if q, err := load(ctx, l.question, id); q != nil || err != nil {
			return q, err
		}
	case globalid.TypeWorkingGroup:
		if g, err := load(ctx, l.group, id); g != nil || err != nil {
			return g, err
		}
	case globalid.TypeMeeting:
		if m, err := load(ctx, l.meeting, id); m != nil || err != nil {
			return m, err
		}
	case globalid.TypeActionPlan:
		if p, err := load(ctx, l.plan, id); p != nil || err != nil {
			return p, err
		}
	}
	return nil, nil
}

// startNode starts loading a node, so that the nodes of one nodes() call
// share a batch per type.
func (l *groupLoaders) startNode(ctx context.Context, typ string, id int64) {
	switch typ {
	case globalid.TypeQuestion:
		l.question.LoadThunk(ctx, id)
	case globalid.TypeWorkingGroup:
		l.group.LoadThunk(ctx, id)
	case globalid.TypeMeeting:
		l.meeting.LoadThunk(ctx, id)
	case globalid.TypeActionPlan:
		l.plan.LoadThunk(ctx, id)
	}
}

// selected returns a context for each field named name that the field of
// fc selects on objects of type typ, with its arguments.
func selected(ctx context.Context, fc *graphql.FieldContext, name, typ string) []*graphql.FieldContext {
	if fc == nil || fc.Child == nil {
		return nil
	}
	var out []*graphql.FieldContext
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{typ, "Node"}) {
		if f.Name != name {
			continue
		}
		if child, err := fc.Child(ctx, f); err == nil {
			out = append(out, child)
		}
	}
	return out
}

// nodeFields returns the contexts of the edges.node fields that the
// connection field of fc selects, for nodes of type typ.
func nodeFields(ctx context.Context, fc *graphql.FieldContext, typ string) []*graphql.FieldContext {
	var out []*graphql.FieldContext
	for _, edges := range selected(ctx, fc, "edges", typ+"Connection") {
		out = append(out, selected(ctx, edges, "node", typ+"Edge")...)
	}
	return out
}

// pageNodes returns the contexts of the edges.node fields that the
// connection field being resolved selects, for nodes of type typ.
func pageNodes(ctx context.Context, typ string) []*graphql.FieldContext {
	return nodeFields(ctx, graphql.GetFieldContext(ctx), typ)
}

// prefetchQuestions starts the batches of the relationships that the
// fields fcs select on questions qs.
func (l *groupLoaders) prefetchQuestions(ctx context.Context, fcs []*graphql.FieldContext, qs []*domain.Question) {
	if len(qs) == 0 {
		return
	}
	ids, raisers, groups := make([]int64, len(qs)), make([]int64, len(qs)), []int64{}
	for i, q := range qs {
		ids[i], raisers[i] = q.ID, q.RaisedBy
		if q.GroupID != nil {
			groups = append(groups, *q.GroupID)
		}
	}
	for _, fc := range fcs {
		if len(selected(ctx, fc, "raisedBy", "Question")) > 0 {
			l.raiser.LoadAllThunk(ctx, raisers)
		}
		if len(selected(ctx, fc, "supporters", "Question")) > 0 {
			l.supporters.LoadAllThunk(ctx, ids)
		}
		if len(selected(ctx, fc, "viewerHasSupported", "Question")) > 0 && domain.ViewerFrom(ctx).Role == domain.RoleMember {
			l.supporterIDs.LoadAllThunk(ctx, ids)
		}
		for _, g := range selected(ctx, fc, "group", "Question") {
			l.groupThen.add(g, func(ctx context.Context, gs []*domain.WorkingGroup) {
				l.prefetchGroups(ctx, []*graphql.FieldContext{g}, gs)
			})
			l.group.LoadAllThunk(ctx, groups)
		}
	}
}

// prefetchGroups starts the batches of the relationships that the fields
// fcs select on groups gs.
func (l *groupLoaders) prefetchGroups(ctx context.Context, fcs []*graphql.FieldContext, gs []*domain.WorkingGroup) {
	if len(gs) == 0 {
		return
	}
	ids, questions := make([]int64, len(gs)), make([]int64, len(gs))
	for i, g := range gs {
		ids[i], questions[i] = g.ID, g.QuestionID
	}
	for _, fc := range fcs {
		for _, q := range selected(ctx, fc, "question", "WorkingGroup") {
			l.questionThen.add(q, func(ctx context.Context, qs []*domain.Question) {
				l.prefetchQuestions(ctx, []*graphql.FieldContext{q}, qs)
			})
			l.question.LoadAllThunk(ctx, questions)
		}
		for _, p := range selected(ctx, fc, "participants", "WorkingGroup") {
			l.participantsThen.add(p, func(ctx context.Context, ps [][]domain.Participant) {
				l.prefetchParticipants(ctx, p, slices.Concat(ps...))
			})
			l.participants.LoadAllThunk(ctx, ids)
		}
		for _, m := range selected(ctx, fc, "meetings", "WorkingGroup") {
			nodes := nodeFields(ctx, m, "Meeting")
			l.meetingsThen.add(m, func(ctx context.Context, pages []*domain.Page[*domain.Meeting]) {
				var ms []*domain.Meeting
				for _, p := range pages {
					ms = append(ms, p.Items...)
				}
				l.prefetchMeetings(ctx, nodes, ms)
			})
			first, _ := m.Args["first"].(*int)
			after, _ := m.Args["after"].(*string)
			keys := make([]pageKey, len(ids))
			for i, id := range ids {
				keys[i] = newPageKey(id, first, after)
			}
			l.meetingsOfGroup.LoadAllThunk(ctx, keys)
			if len(selected(ctx, m, "totalCount", "MeetingConnection")) > 0 {
				l.meetingCount.LoadAllThunk(ctx, ids)
			}
		}
		for _, p := range selected(ctx, fc, "actionPlan", "WorkingGroup") {
			l.planThen.add(p, func(ctx context.Context, ps []*domain.ActionPlan) {
				l.prefetchPlans(ctx, []*graphql.FieldContext{p}, ps)
			})
			l.planOfGroup.LoadAllThunk(ctx, ids)
		}
	}
}

// prefetchParticipants starts the batch of the members of participants ps
// when the participants field fc selects them.
func (l *groupLoaders) prefetchParticipants(ctx context.Context, fc *graphql.FieldContext, ps []domain.Participant) {
	if len(ps) == 0 || len(selected(ctx, fc, "member", "Participant")) == 0 {
		return
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.MemberID
	}
	l.participantMember.LoadAllThunk(ctx, ids)
}

// prefetchMeetings starts the batches of the relationships that the fields
// fcs select on meetings ms.
func (l *groupLoaders) prefetchMeetings(ctx context.Context, fcs []*graphql.FieldContext, ms []*domain.Meeting) {
	if len(ms) == 0 {
		return
	}
	var attendees, groups []int64
	for _, m := range ms {
		attendees = append(attendees, m.AttendeeIDs...)
		groups = append(groups, m.GroupID)
	}
	for _, fc := range fcs {
		if len(selected(ctx, fc, "attendees", "Meeting")) > 0 && len(attendees) > 0 {
			l.attendee.LoadAllThunk(ctx, attendees)
		}
		for _, g := range selected(ctx, fc, "group", "Meeting") {
			l.groupThen.add(g, func(ctx context.Context, gs []*domain.WorkingGroup) {
				l.prefetchGroups(ctx, []*graphql.FieldContext{g}, gs)
			})
			l.group.LoadAllThunk(ctx, groups)
		}
	}
}

// prefetchPlans starts the batches of the relationships that the fields
// fcs select on plans ps.
func (l *groupLoaders) prefetchPlans(ctx context.Context, fcs []*graphql.FieldContext, ps []*domain.ActionPlan) {
	if len(ps) == 0 {
		return
	}
	var owners, groups []int64
	for _, p := range ps {
		groups = append(groups, p.GroupID)
		for _, it := range p.Items {
			if it.OwnerID != nil {
				owners = append(owners, *it.OwnerID)
			}
		}
	}
	for _, fc := range fcs {
		for _, items := range selected(ctx, fc, "items", "ActionPlan") {
			if len(selected(ctx, items, "owner", "ActionItem")) > 0 && len(owners) > 0 {
				l.owner.LoadAllThunk(ctx, owners)
			}
		}
		for _, g := range selected(ctx, fc, "group", "ActionPlan") {
			l.groupThen.add(g, func(ctx context.Context, gs []*domain.WorkingGroup) {
				l.prefetchGroups(ctx, []*graphql.FieldContext{g}, gs)
			})
			l.group.LoadAllThunk(ctx, groups)
		}
	}
}

// memberGroups returns the page of a member's groups for the Member.groups
// field of fc. When the member is an item of a list (a member connection,
// or a list of members), the pages of all the items are read in one batch,
// and what the query selects on their groups is prefetched as they arrive.
func (l *groupLoaders) memberGroups(ctx context.Context, fc *graphql.FieldContext, memberID int64, first *int, after *string) (*domain.Page[*domain.WorkingGroup], error) {
	nodes := nodeFields(ctx, fc, "WorkingGroup")
	l.memberGroupsThen.add(fc, func(ctx context.Context, pages []*domain.Page[*domain.WorkingGroup]) {
		var gs []*domain.WorkingGroup
		for _, p := range pages {
			gs = append(gs, p.Items...)
		}
		l.prefetchGroups(ctx, nodes, gs)
	})
	ids := append(siblingMembers(fc), memberID)
	keys := make([]pageKey, len(ids))
	for i, id := range ids {
		keys[i] = newPageKey(id, first, after)
	}
	l.groupsOfMember.LoadAllThunk(ctx, keys)
	if len(selected(ctx, fc, "totalCount", "WorkingGroupConnection")) > 0 {
		l.groupCount.LoadAllThunk(ctx, ids)
	}
	page, err := l.groupsOfMember.Load(ctx, newPageKey(memberID, first, after))
	if err != nil {
		return nil, err
	}
	l.prefetchGroups(ctx, nodes, page.Items)
	return page, nil
}

// siblingMembers returns the ids of the members listed with the member
// whose field fc is being resolved: the nodes of the member connection or
// the items of the member list it belongs to; nil when it is alone.
func siblingMembers(fc *graphql.FieldContext) []int64 {
	item := fc.Parent
	if item != nil && item.Index == nil && item.Field.Name == "node" {
		item = item.Parent // the edge
	}
	if item == nil || item.Index == nil || item.Parent == nil {
		return nil
	}
	var ids []int64
	switch list := item.Parent.Result.(type) {
	case []*model.MemberEdge:
		for _, e := range list {
			ids = append(ids, e.Node.ID)
		}
	case []*domain.Member:
		for _, m := range list {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// The converters below turn the GraphQL inputs of group fields into domain
// inputs; they live here because the resolver file is regenerated.

// questionFilter converts the GraphQL question filter.
func questionFilter(f *model.QuestionFilter) (domain.QuestionFilter, error) {
	if f == nil {
		return domain.QuestionFilter{}, nil
	}
	raisedBy, err := optionalMemberID("filter.raisedBy", f.RaisedBy)
	if err != nil {
		return domain.QuestionFilter{}, err
	}
	supportedBy, err := optionalMemberID("filter.supportedBy", f.SupportedBy)
	if err != nil {
		return domain.QuestionFilter{}, err
	}
	return domain.QuestionFilter{Themes: f.Themes, Statuses: f.Statuses, RaisedBy: raisedBy, SupportedBy: supportedBy}, nil
}

// optionalMemberID decodes a member's global id that may be null.
func optionalMemberID(field string, gid *string) (*int64, error) {
	if gid == nil {
		return nil, nil
	}
	id, err := globalid.DecodeAs(field, globalid.TypeMember, *gid)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// groupFilter converts the GraphQL group filter.
func groupFilter(f *model.GroupFilter) (domain.GroupFilter, error) {
	if f == nil {
		return domain.GroupFilter{}, nil
	}
	ids, err := decodeIDs("filter.memberIds", globalid.TypeMember, f.MemberIds)
	return domain.GroupFilter{Themes: f.Themes, Statuses: f.Statuses, MemberIDs: ids}, err
}

// supportIDs decodes the question and member of a support.
func supportIDs(questionGID, memberGID string) (questionID, memberID int64, err error) {
	if questionID, err = globalid.DecodeAs("questionId", globalid.TypeQuestion, questionGID); err != nil {
		return 0, 0, err
	}
	memberID, err = globalid.DecodeAs("memberId", globalid.TypeMember, memberGID)
	return questionID, memberID, err
}

// participationIDs decodes the group and member of a join or leave.
func participationIDs(groupGID, memberGID string) (groupID, memberID int64, err error) {
	if groupID, err = globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, groupGID); err != nil {
		return 0, 0, err
	}
	memberID, err = globalid.DecodeAs("memberId", globalid.TypeMember, memberGID)
	return groupID, memberID, err
}

// meetingInput converts scheduleMeeting's input.
func meetingInput(in model.ScheduleMeetingInput) (domain.MeetingInput, error) {
	groupID, err := globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, in.GroupID)
	if err != nil {
		return domain.MeetingInput{}, err
	}
	agenda := make([]domain.AgendaItem, len(in.Agenda))
	for i, item := range in.Agenda {
		agenda[i] = domain.AgendaItem{Title: item.Title, Minutes: item.Minutes}
	}
	return domain.MeetingInput{
		GroupID: groupID, Title: in.Title, StartsAt: in.StartsAt, DurationMinutes: in.DurationMinutes,
		Agenda: agenda, ExpectedOutcome: in.ExpectedOutcome,
	}, nil
}

// actionPlanInput converts publishActionPlan's input.
func actionPlanInput(in model.PublishActionPlanInput) (domain.ActionPlanInput, error) {
	groupID, err := globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, in.GroupID)
	if err != nil {
		return domain.ActionPlanInput{}, err
	}
	items := make([]domain.ActionItem, len(in.Items))
	for i, item := range in.Items {
		items[i] = domain.ActionItem{Title: item.Title}
		if item.OwnerID != nil {
			owner, err := globalid.DecodeAs(fmt.Sprintf("items[%d].ownerId", i), globalid.TypeMember, *item.OwnerID)
			if err != nil {
				return domain.ActionPlanInput{}, err
			}
			items[i].OwnerID = &owner
		}
		if item.DueOn != nil {
			d := dateOf(*item.DueOn)
			items[i].DueOn = &d
		}
	}
	return domain.ActionPlanInput{GroupID: groupID, Summary: in.Summary, Items: items}, nil
}
