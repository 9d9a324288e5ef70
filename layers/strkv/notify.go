package strkv

// Keyspace notifications (Redis's notify-keyspace-events): the events the
// Redis layers' mutations announce for the keys they change, and the
// replicated setting that says which of them anyone wants.
//
// A mutation announces a change with NotifyKey, at apply time, on every
// replica alike; the Redis protocol server of each node listens
// (layers.Notifier), keeps the events whose class its setting enables and
// publishes them to its node's subscribers. The setting is replicated: it
// is written by NotifyConfigOp through the log, so every node switches at
// the same point of the log and publishes the same messages.
//
// When no node of the process has notifications enabled, NotifyKey costs
// one atomic load: it does not even build the event. The process-wide
// hint it checks is conservative: a mutation that enables classes raises
// it at once (so the writes committed right after it in the same batch
// announce themselves), and it is lowered only once every server that
// tracks a setting (TrackNotifyMask) has seen the change and none enables
// those classes. The exact decision, in log order, is the listener's.

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/subspace"
)

// Keyspace notification classes: the bits of the notify-keyspace-events
// mask, one per class letter. The Redis protocol server uses the same
// bits.
const (
	NotifyKeyspace Class = 1 << iota // K: __keyspace@<db>__:<key> messages
	NotifyKeyevent                   // E: __keyevent@<db>__:<event> messages
	NotifyGeneric                    // g: del, expire, rename_from...
	NotifyString                     // $
	NotifyList                       // l
	NotifySet                        // s
	NotifyHash                       // h
	NotifyZset                       // z
	NotifyExpired                    // x
	NotifyEvicted                    // e
	NotifyStream                     // t
	NotifyKeyMiss                    // m
	NotifyModule                     // d
	NotifyNew                        // n
)

// Class is a set of keyspace notification classes.
type Class uint32

// Event topics of keyspace notifications.
const (
	// TopicKeyspace: a keyspace event; DecodeKeyspaceEvent reads it.
	TopicKeyspace = "strkv.keyspace"
	// TopicNotifyConfig: notify-keyspace-events changed; the payload is
	// the new mask, DecodeNotifyConfig reads it.
	TopicNotifyConfig = "strkv.notifyconfig"
)

const opNotifyConfig = "strkv.notifyconfig"

// notifyConfigKey holds the replicated notify-keyspace-events mask
// (uvarint). It lies outside the Redis keyspace, so FLUSHALL keeps it.
var notifyConfigKey = subspace.Sub("cfg").Pack(nil)

// hint is the process-wide union of the classes that may be enabled on
// some store of this process (see the file comment).
var hint struct {
	bits    atomic.Uint32
	mu      sync.Mutex
	pending int            // masks applied, not yet seen by a tracker
	owners  map[any]uint32 // each tracker's current mask
}

// effective is the part of mask that makes messages: nothing unless K or
// E is set.
func effective(mask uint32) uint32 {
	if Class(mask)&(NotifyKeyspace|NotifyKeyevent) == 0 {
		return 0
	}
	return mask
}

// NotifyKey announces event (Redis's event name, such as "set" or
// "lpush") of class on key in db, to the node-local listeners. It is
// called by mutations, at apply time, in the order Redis emits the
// events; it does nothing (and allocates nothing) when no store of the
// process enables class.
func NotifyKey(m layers.Mutator, class Class, event string, db int, key []byte) {
	if Class(hint.bits.Load())&class == 0 {
		return
	}
	var e enc
	e.B = make([]byte, 0, 8+len(event)+len(key))
	e.Uvarint(uint64(class))
	e.Uvarint(uint64(db))
	e.Bytes([]byte(event))
	e.Bytes(key)
	m.Notify(layers.Event{Topic: TopicKeyspace, Payload: e.B})
}

// Notifying reports whether NotifyKey of class may emit anything: layers
// use it to skip work done only for an event.
func Notifying(class Class) bool { return Class(hint.bits.Load())&class != 0 }

// DecodeKeyspaceEvent reads a TopicKeyspace event's payload. event and key
// alias it.
func DecodeKeyspaceEvent(payload []byte) (class Class, db int, event, key []byte, err error) {
	d := dec{B: payload}
	class = Class(d.Uvarint())
	db = DecodeDB(&d)
	event = d.Bytes()
	key = d.Bytes()
	if err := d.Done(); err != nil {
		return 0, 0, nil, nil, fmt.Errorf("keyspace event: %w", err)
	}
	return class, db, event, key, nil
}

// NotifyConfigOp prepares the replicated change of notify-keyspace-events
// to mask (a set of Notify* classes).
func NotifyConfigOp(mask Class) Mutation {
	var e enc
	e.Uvarint(uint64(mask))
	return Mutation{Op: opNotifyConfig, Args: e.B}
}

// mutNotifyConfig stores the mask, raises the hint at once and announces
// the change (TopicNotifyConfig). Result: status.
func mutNotifyConfig(m layers.Mutator, args []byte) ([]byte, error) {
	d := dec{B: args}
	mask := d.Uvarint()
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("notify config: %w", err)
	}
	if mask > 1<<32-1 {
		return nil, fmt.Errorf("notify config: mask %#x: %w", mask, errMalformed)
	}
	m.Set(notifyConfigKey, args)
	hint.mu.Lock()
	hint.pending++
	hint.bits.Or(effective(uint32(mask)))
	hint.mu.Unlock()
	m.Notify(layers.Event{Topic: TopicNotifyConfig, Payload: args})
	return []byte{resOK}, nil
}

// DecodeNotifyConfig reads a TopicNotifyConfig event's payload.
func DecodeNotifyConfig(payload []byte) (Class, error) {
	d := dec{B: payload}
	mask := d.Uvarint()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("notify config: %w", err)
	}
	return Class(mask), nil
}

// ReadNotifyConfig returns the replicated notify-keyspace-events mask (0
// when it was never set).
func ReadNotifyConfig(src Source) (Class, error) {
	v, err := src.Get(notifyConfigKey)
	if errors.Is(err, layers.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read notify-keyspace-events: %w", err)
	}
	return DecodeNotifyConfig(v)
}

// TrackNotifyMask records that owner (a server listening to one store's
// events) now applies mask. seen says the mask came from a
// TopicNotifyConfig event, which settles one pending change. The hint
// keeps every class some owner enables, and drops the others once no
// change is pending.
func TrackNotifyMask(owner any, mask Class, seen bool) {
	hint.mu.Lock()
	defer hint.mu.Unlock()
	if hint.owners == nil {
		hint.owners = map[any]uint32{}
	}
	hint.owners[owner] = effective(uint32(mask))
	if seen && hint.pending > 0 {
		hint.pending--
	}
	settleHint()
}

// ReleaseNotifyMask forgets owner, when it stops listening.
func ReleaseNotifyMask(owner any) {
	hint.mu.Lock()
	defer hint.mu.Unlock()
	delete(hint.owners, owner)
	settleHint()
}

// settleHint recomputes the hint; hint.mu is held.
func settleHint() {
	var bits uint32
	for _, m := range hint.owners {
		bits |= m
	}
	if hint.pending > 0 {
		bits |= hint.bits.Load() // a change not every owner saw yet
	}
	hint.bits.Store(bits)
}

// AnnounceMisses makes r, a reader of mutation m's state, announce each
// absent key it looks up as a "keymiss" event (class NotifyKeyMiss), as
// Redis's write commands that look their inputs up for reading do. It
// does nothing when no store of the process enables the class.
func AnnounceMisses(r *Reader, m layers.Mutator) {
	if !Notifying(NotifyKeyMiss) {
		return
	}
	r.SetMissHook(func(db int, key []byte) { NotifyKey(m, NotifyKeyMiss, "keymiss", db, key) })
}
