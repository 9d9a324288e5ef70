// Package pubsub is Aspen's cluster-wide publish/subscribe: fire-and-forget
// messages on named channels, delivered to the subscribers of every node in
// one order, as Redis's PUBLISH/SUBSCRIBE (and later PostgreSQL's
// NOTIFY/LISTEN) deliver them on one server.
//
// How a message travels: Publish commits a deterministic mutation (OpPublish)
// through the replicated store. The mutation writes nothing; it only
// announces the message as a layers.Event. Every replica applies the commit
// and hands the event to its node-local listeners (layers.Notifier), in log
// order; each node's Hub listens and dispatches the message to the
// subscriptions of that node. So a message published on any node reaches the
// subscribers of every node, and two messages reach every subscriber in the
// same order: the order of the log. The message lives in the Raft log only:
// nothing is stored, and a node that was down misses what was published
// meanwhile, as a Redis client that was disconnected does.
//
// Other layers' events can become messages too (Hub.SetEventHook): Redis's
// keyspace notifications, announced by the mutations at apply time on
// every replica, are turned into messages by each node's hook, in log
// order with the published ones, and reach every node's subscribers.
//
// Channels live in namespaces (Namespace) so that protocols do not see each
// other's channels: Redis's channels, Redis's shard channels, and later
// PostgreSQL's LISTEN channels.
//
// Receivers: the store's apply path only queues each applied message (up
// to a bound, past which it dispatches itself, slowing applies down rather
// than queueing without end); the Hub's goroutine dispatches the queue in
// runs to Receivers, one message at a time, in order, and then lets the
// receivers that buffer flush the run at once (Flusher). A Receiver must
// not block: it hands the message to a bounded queue of its own and, when
// that queue is full, drops the subscriber (as Redis disconnects a client
// past its output buffer limit) rather than grow without bound or stall
// the node. Subscription is such a Receiver for Go callers, with a bounded
// channel; package resp has its own, writing to a connection's outgoing
// queue. Edit changes subscriptions between two messages, so a receiver
// can queue the confirmation of a change exactly where it takes effect.
//
// The count Publish returns is the number of receivers on the publishing
// node (one per matching channel subscription and one per matching pattern
// subscription), counted when that node dispatches the message, as Redis
// Cluster's PUBLISH counts the receivers of the node it was sent to.
package pubsub
