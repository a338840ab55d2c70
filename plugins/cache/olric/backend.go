package olric

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/buraksezer/olric"
	"github.com/hashicorp/go-hclog"
)

// backend is a started Store: an embedded member or a cluster client.
type backend struct {
	cfg    Config
	driver string // "olric" or "olric-client"
	addr   string // Olric address(es) served or used
	gossip string // memberlist address of the embedded member

	client  olric.Client         // dmaps and members come from here
	cluster *olric.ClusterClient // scans; the client itself in client mode

	db      *olric.Olric  // embedded member; nil in client mode
	stopped chan struct{} // closed when db.Start returns

	dmaps sync.Map // dmapKey → olric.DMap

	inv *invalidations // nil until started
}

// startInvalidations starts carrying invalidations between members through
// client's pub/sub (own: the embedded member's address; "" in client mode
// picks a server).
func (b *backend) startInvalidations(client olric.Client, own string, log hclog.Logger) error {
	var opts []olric.PubSubOption
	if own != "" {
		opts = append(opts, olric.ToAddress(own))
	}
	ps, err := client.NewPubSub(opts...)
	if err != nil {
		return fmt.Errorf("olric pub/sub: %w", err)
	}
	var alone func() bool
	if b.db != nil { // an embedded member knows its peers without a round trip
		alone = func() bool {
			ms, err := client.Members(context.Background())
			return err == nil && len(ms) <= 1
		}
	}
	b.inv = startInvalidations(ps, alone, b.cfg.requestTimeout, log.Named("invalidations"))
	return nil
}

// callCtx bounds one Olric call by request_timeout, unless ctx already
// ends sooner (then it saves a timer).
func (b *backend) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= b.cfg.requestTimeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, b.cfg.requestTimeout)
}

// close releases everything backend holds; ctx bounds the member's
// shutdown.
func (b *backend) close(ctx context.Context) error {
	var errs []error
	if b.inv != nil {
		b.inv.close()
	}
	if b.cluster != nil {
		errs = append(errs, b.cluster.Close(ctx))
	}
	if b.db != nil {
		errs = append(errs, b.db.Shutdown(ctx))
		select {
		case <-b.stopped:
		case <-ctx.Done():
			errs = append(errs, errors.New("member did not stop in time"))
		}
	}
	return errors.Join(errs...)
}
