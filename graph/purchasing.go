package graph

import (
	"grappe/domain"
	"grappe/globalid"
	"grappe/graph/generated"
	"grappe/graph/model"
)

// maxFilterIDs bounds the ids of a filter list.
const maxFilterIDs = domain.MaxPageSize

// campaignInput converts createPurchasingCampaign's input.
func campaignInput(in model.CreatePurchasingCampaignInput) (domain.CampaignInput, error) {
	out := domain.CampaignInput{
		Title: in.Title, Description: deref(in.Description), Supplier: in.Supplier, Unit: in.Unit,
		ListPrice: in.ListPrice, NegotiatedPrice: in.NegotiatedPrice, Currency: deref(in.Currency),
		MinimumQuantity: in.MinimumQuantity, OpensAt: in.OpensAt, ClosesAt: in.ClosesAt,
	}
	if in.Category != nil {
		out.Category = *in.Category
	}
	if in.GroupID != nil {
		id, err := globalid.DecodeAs("groupId", globalid.TypeWorkingGroup, *in.GroupID)
		if err != nil {
			return out, err
		}
		out.GroupID = &id
	}
	return out, nil
}

// campaignFilter converts the GraphQL campaign filter.
func campaignFilter(f *model.PurchasingCampaignFilter) (domain.CampaignFilter, error) {
	if f == nil {
		return domain.CampaignFilter{}, nil
	}
	if len(f.GroupIds) > maxFilterIDs {
		return domain.CampaignFilter{}, domain.InvalidField("filter.groupIds", "at most %d ids, got %d", maxFilterIDs, len(f.GroupIds))
	}
	ids, err := decodeIDs("filter.groupIds", globalid.TypeWorkingGroup, f.GroupIds)
	return domain.CampaignFilter{Statuses: f.Statuses, GroupIDs: ids}, err
}

// campaignPayload is the payload of every campaign mutation.
func campaignPayload(clientMutationID *string, c *domain.PurchasingCampaign, err error) (*model.PurchasingCampaignPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.PurchasingCampaignPayload{ClientMutationID: clientMutationID, Campaign: c}, nil
}

// setPurchasingComplexity makes the campaigns' lists cost their page size
// times their children.
func setPurchasingComplexity(c *generated.ComplexityRoot) {
	c.Query.PurchasingCampaigns = func(child int, first *int, _ *string, _ *model.PurchasingCampaignFilter) int {
		return pageCost(first, nil, child)
	}
	c.PurchasingCampaign.Commitments = func(child int, first *int, _ *string) int { return pageCost(first, nil, child) }
}
