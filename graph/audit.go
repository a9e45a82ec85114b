package graph

import (
	"sort"
	"time"

	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/model"
)

// typeAuditEntry is the type name inside the opaque ids of audit entries.
// Entries are not nodes: node(id:) gives null for them.
const typeAuditEntry = "AuditEntry"

// refID returns the global id of an object named by the audit trail.
func refID(r domain.Ref) string { return globalid.Encode(r.Type, r.ID) }

// auditFilter converts the GraphQL audit filter.
func auditFilter(f *model.AuditFilter) (domain.AuditFilter, error) {
	if f == nil {
		return domain.AuditFilter{}, nil
	}
	memberIDs, err := decodeIDs("filter.memberIds", globalid.TypeMember, f.MemberIds)
	if err != nil {
		return domain.AuditFilter{}, err
	}
	out := domain.AuditFilter{Mutations: f.Mutations, MemberIDs: memberIDs, From: f.From, To: f.To}
	for _, gid := range f.TargetIds {
		typ, id, err := globalid.Decode("filter.targetIds", gid)
		if err != nil {
			return domain.AuditFilter{}, err
		}
		out.Targets = append(out.Targets, domain.Ref{Type: typ, ID: id})
	}
	return out, nil
}

// auditChanges lists the changes of an entry by field name.
func auditChanges(e *domain.AuditEntry) []*model.AuditChange {
	out := make([]*model.AuditChange, 0, len(e.Changes))
	for field, c := range e.Changes {
		out = append(out, &model.AuditChange{Field: field, Before: c.Before, After: c.After, Erased: c.Erased})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// contactDocument is the whole export of a contact's data as one JSON
// document, with global ids.
func contactDocument(d *domain.ContactData) map[string]any {
	doc := map[string]any{
		"contactId":  globalid.Encode(globalid.TypeContact, d.ContactID),
		"exportedAt": d.ExportedAt,
		"contact":    nil,
		"member":     nil,
	}
	if c := d.Contact; c != nil {
		doc["contact"] = map[string]any{
			"id": globalid.Encode(globalid.TypeContact, c.ID), "name": c.Name, "role": nullable(c.Role),
			"email": nullable(c.Email), "phone": nullable(c.Phone), "createdAt": d.CreatedAt,
		}
	}
	if m := d.Member; m != nil {
		doc["member"] = map[string]any{"id": globalid.Encode(globalid.TypeMember, m.ID), "name": m.Name}
	}
	entries := make([]map[string]any, len(d.AuditEntries))
	for i, e := range d.AuditEntries {
		targets := make([]string, len(e.Targets))
		for j, t := range e.Targets {
			targets[j] = refID(t)
		}
		changes := map[string]any{}
		for _, c := range auditChanges(e) {
			changes[c.Field] = map[string]any{"before": c.Before, "after": c.After, "erased": c.Erased}
		}
		entries[i] = map[string]any{
			"id": globalid.Encode(typeAuditEntry, e.ID), "at": e.At, "role": e.Role, "mutation": e.Mutation,
			"targetIds": targets, "changes": changes,
		}
	}
	doc["auditEntries"] = entries
	touchpoints := make([]map[string]any, len(d.Touchpoints))
	for i, tp := range d.Touchpoints {
		touchpoints[i] = touchpointDocument(tp)
	}
	doc["touchpoints"] = touchpoints
	return doc
}

// touchpointDocument is a touchpoint in a contact's export.
func touchpointDocument(tp *domain.Touchpoint) map[string]any {
	var followUp any
	if tp.FollowUpOn != nil {
		followUp = tp.FollowUpOn.Format(time.DateOnly)
	}
	return map[string]any{
		"id": globalid.Encode(globalid.TypeTouchpoint, tp.ID), "channel": tp.Channel, "at": tp.At,
		"summary": tp.Summary, "followUpOn": followUp, "done": tp.Done, "by": tp.By,
	}
}
