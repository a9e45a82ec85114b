package postgres

import (
	"context"
	"log/slog"
	"time"
)

// CampaignCloser closes purchasing campaigns at their closesAt. Every
// server of a database runs one: CloseDueCampaigns closes each campaign
// exactly once whichever server gets there first, so that none waits for
// another to take over when one stops.
type CampaignCloser struct {
	DB  *DB
	Log *slog.Logger
	// MaxWait is the longest the closer sleeps between two looks at the
	// campaigns (0: a minute); it wakes earlier for the first closesAt due
	// and when Wake is called.
	MaxWait time.Duration

	wake chan struct{}
}

// NewCampaignCloser returns the closer of db.
func NewCampaignCloser(db *DB, log *slog.Logger, maxWait time.Duration) *CampaignCloser {
	if maxWait <= 0 {
		maxWait = time.Minute
	}
	return &CampaignCloser{DB: db, Log: log, MaxWait: maxWait, wake: make(chan struct{}, 1)}
}

// Wake makes the closer look again at once: a campaign was opened or
// changed (by any server: call it on the announced changes of the table).
// It never blocks.
func (c *CampaignCloser) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// closerRetry is how long the closer waits after a failure (the database
// unreachable, say) before it tries again.
const closerRetry = 5 * time.Second

// Run closes the campaigns due, then sleeps until the next closesAt (at
// most MaxWait) or a Wake, until ctx ends. A look at the campaigns is one
// read; only when one is due does it write.
func (c *CampaignCloser) Run(ctx context.Context) {
	for ctx.Err() == nil {
		wait := c.MaxWait
		next, err := c.DB.NextCampaignClosing(ctx)
		if err == nil && next != nil && !next.After(c.DB.Now()) {
			var closed []int64
			if closed, err = c.DB.CloseDueCampaigns(ctx); err == nil {
				if len(closed) > 0 {
					c.Log.Info("purchasing campaigns closed at their closesAt", "campaigns", closed)
				}
				next, err = c.DB.NextCampaignClosing(ctx)
			}
		}
		switch {
		case err != nil:
			if ctx.Err() == nil {
				c.Log.Warn("closing purchasing campaigns", "err", err)
			}
			wait = closerRetry
		case next != nil:
			// A few milliseconds past the closesAt due first.
			wait = min(wait, max(next.Sub(c.DB.Now())+10*time.Millisecond, 10*time.Millisecond))
		}
		select {
		case <-ctx.Done():
		case <-c.wake:
		case <-time.After(wait):
		}
	}
}
