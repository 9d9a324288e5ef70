package planner

// LISTEN/UNLISTEN/NOTIFY: the engine's half. NOTIFY queues a notification
// in the session's transaction and publishes it with the commit, through
// the replicated log (layers/pubsub), so that it reaches the listeners of
// every node only if the transaction commits. LISTEN and UNLISTEN are the
// protocol's business: their Result carries a ListenRequest.

import (
	"context"
	"encoding/binary"

	"github.com/aspen-db/aspen/layers/pubsub"
)

// ListenRequest is set on the Result of LISTEN and UNLISTEN: the protocol
// registers (or drops) the session's interest in Channel; UNLISTEN * has
// All set.
type ListenRequest struct {
	Channel  string
	Unlisten bool
	All      bool
}

// notification is a NOTIFY waiting for its transaction's commit.
type notification struct {
	channel, payload string
}

// SetBackendPID records the process ID the protocol reported to the
// client (BackendKeyData): NOTIFY sends it with each notification, as the
// notifying backend's PID.
func (s *Session) SetBackendPID(pid uint32) {
	s.pid, s.ident.pid = pid, pid
	s.eng.act.setPID(s, pid)
}

// execNotify runs LISTEN, UNLISTEN or NOTIFY.
func (s *Session) execNotify(ctx context.Context, spec *notifySpec) (*Result, error) {
	switch spec.kind {
	case "LISTEN":
		return &Result{Tag: "LISTEN", Listen: &ListenRequest{Channel: spec.channel}}, nil
	case "UNLISTEN":
		return &Result{Tag: "UNLISTEN", Listen: &ListenRequest{Channel: spec.channel, Unlisten: true, All: spec.channel == ""}}, nil
	}
	// NOTIFY joins the transaction, so that it commits (or not) with it;
	// PostgreSQL drops a duplicate of a notification already queued by
	// the same transaction.
	if _, err := s.txn(ctx); err != nil {
		return nil, err
	}
	s.queueNotify(notification{channel: spec.channel, payload: spec.payload})
	return &Result{Tag: "NOTIFY"}, nil
}

// queueNotify adds a notification to the open transaction's (NOTIFY and
// pg_notify), unless the transaction already queued the same one.
func (s *Session) queueNotify(n notification) {
	for _, q := range s.notifies {
		if q == n {
			return
		}
	}
	s.notifies = append(s.notifies, n)
}

// queueNotifies adds the transaction's notifications to its commit.
func (s *Session) queueNotifies() {
	if len(s.notifies) == 0 || s.tx == nil {
		s.notifies = nil
		return
	}
	for _, n := range s.notifies {
		op := pubsub.PublishOp(pubsub.Postgres, []byte(n.channel), EncodeNotification(s.pid, n.payload))
		s.tx.Mutate(op.Name, op.Args)
	}
	s.notifies = nil
}

// EncodeNotification is the payload a NOTIFY publishes: the notifying
// backend's PID, then the payload text.
func EncodeNotification(pid uint32, payload string) []byte {
	return append(binary.BigEndian.AppendUint32(nil, pid), payload...)
}

// DecodeNotification reads EncodeNotification's output.
func DecodeNotification(b []byte) (pid uint32, payload string, ok bool) {
	if len(b) < 4 {
		return 0, "", false
	}
	return binary.BigEndian.Uint32(b), string(b[4:]), true
}
