package graph

import (
	"context"

	"grappe/graph/model"
)

// complementPayload returns the payload of a complement mutation: the
// trade, read after the change.
func (r *Resolver) complementPayload(ctx context.Context, clientMutationID *string, tradeID int64) (*model.TradeComplementPayload, error) {
	tree, err := r.loaders(ctx).tradeTree(ctx)
	if err != nil {
		return nil, err
	}
	return &model.TradeComplementPayload{ClientMutationID: clientMutationID, Trade: tree.byID[tradeID]}, nil
}
