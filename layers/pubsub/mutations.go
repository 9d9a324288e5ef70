package pubsub

import (
	"fmt"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/internal/wire"
)

// The replicated half of pub/sub: the publish mutation and the event it
// announces. Both are part of the Raft log's format: a field may never
// change meaning; add a new operation or topic instead.

// OpPublish is the mutation a publish commits. Register Mutations() with the
// store on every replica.
const OpPublish = "pubsub.publish"

// Topic is the layers.Event topic of a published message.
const Topic = "pubsub.message"

// Namespace keeps the channels of one protocol apart from another's: a
// message reaches only the subscriptions of its own namespace. The values
// are part of the log format.
type Namespace uint8

// Namespaces.
const (
	// Redis holds Redis's channels (PUBLISH, SUBSCRIBE, PSUBSCRIBE) and the
	// keyspace notifications published into them.
	Redis Namespace = 0
	// RedisShard holds Redis's shard channels (SPUBLISH, SSUBSCRIBE). Aspen
	// is one shard: they reach every node, as channels do.
	RedisShard Namespace = 1
	// Postgres is for PostgreSQL's LISTEN/NOTIFY channels.
	Postgres Namespace = 2
)

// Message is one published message, as receivers see it. A Hub hands the
// same *Message to every receiver: they must not modify it.
type Message struct {
	Namespace Namespace
	Channel   []byte
	Payload   []byte

	// origin and seq identify the publish on the node that made it (origin
	// is random per Hub; 0 for messages without a waiting publisher).
	origin, seq uint64
}

// Op is a mutation ready for commit: its registered name and arguments.
type Op struct {
	Name string
	Args []byte
}

// Mutations returns the pub/sub mutations, to register with the store on
// every replica.
func Mutations() map[string]layers.MutationFunc {
	return map[string]layers.MutationFunc{OpPublish: mutPublish}
}

// PublishOp returns the mutation that publishes payload on channel in ns,
// for callers that commit it with other mutations and need no receiver
// count (a transaction's replay, say). Hub.Prepare returns one whose count
// can be awaited.
func PublishOp(ns Namespace, channel, payload []byte) Op {
	return Op{Name: OpPublish, Args: encodeMessage(ns, 0, 0, channel, payload)}
}

// Emit publishes payload on channel in ns from inside a mutation of any
// layer: the message is delivered on every node once the commit is
// applied, in log order with every other message. Keyspace notifications
// are published this way.
func Emit(m layers.Mutator, ns Namespace, channel, payload []byte) {
	m.Notify(layers.Event{Topic: Topic, Payload: encodeMessage(ns, 0, 0, channel, payload)})
}

// mutPublish announces the message in its arguments; it writes nothing.
func mutPublish(m layers.Mutator, args []byte) ([]byte, error) {
	if _, err := decodeMessage(args); err != nil {
		return nil, fmt.Errorf("pubsub: publish: %w", err)
	}
	m.Notify(layers.Event{Topic: Topic, Payload: args})
	return nil, nil
}

// encodeMessage encodes a message as OpPublish's arguments and as the
// event payload: namespace, origin, sequence, channel, payload.
func encodeMessage(ns Namespace, origin, seq uint64, channel, payload []byte) []byte {
	e := wire.Enc{B: make([]byte, 0, 24+len(channel)+len(payload))}
	e.Uvarint(uint64(ns))
	e.Uvarint(origin)
	e.Uvarint(seq)
	e.Bytes(channel)
	e.Bytes(payload)
	return e.B
}

// decodeMessage reads what encodeMessage wrote. The message aliases b.
func decodeMessage(b []byte) (*Message, error) {
	d := wire.Dec{B: b}
	ns := d.Uvarint()
	origin := d.Uvarint()
	seq := d.Uvarint()
	channel := d.Bytes()
	payload := d.Bytes()
	if err := d.Done(); err != nil {
		return nil, err
	}
	if ns > 0xff {
		return nil, fmt.Errorf("namespace %d: %w", ns, wire.ErrMalformed)
	}
	return &Message{Namespace: Namespace(ns), Channel: channel, Payload: payload, origin: origin, seq: seq}, nil
}
