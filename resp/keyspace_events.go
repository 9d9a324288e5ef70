package resp

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/aspen-db/aspen/layers"
	"github.com/aspen-db/aspen/layers/pubsub"
	"github.com/aspen-db/aspen/layers/strkv"
)

// Keyspace notifications: the __keyspace@<db>__:<key> and
// __keyevent@<db>__:<event> messages Redis publishes for the changes its
// commands make, with the classes notify-keyspace-events enables.
//
// The Redis layers' mutations announce each change at apply time, in
// Redis's order, with a strkv.TopicKeyspace event (strkv.NotifyKey); every
// node applies every commit, so a subscriber on any node sees every
// change, whichever node the command was sent to. Each Server listens to
// its store and publishes the enabled events to its node's subscribers
// (a hook of the pub/sub Hub, so they keep their commit order with the
// PUBLISHed messages).
//
// notify-keyspace-events is replicated, unlike the other settings: CONFIG
// SET commits it (strkv.NotifyConfigOp) and every node switches when it
// applies that commit, so all nodes decide alike which events become
// messages. The setting survives restarts with the store. The 'm'
// (key-miss) events of reads are the exception: reads run in read
// snapshots outside the log, so the node that served a read announces
// its misses to its own subscribers only (keymiss.go). For the same reason a read
// of an expired key deletes nothing: its "expired" comes from the
// leader's expiry sweep or from the next write to the key, where Redis
// may announce it at the read.

// keyspaceNotifier is one Server's follower of the replicated setting.
type keyspaceNotifier struct {
	s *Server

	// mu orders the setting's first read from the store against the
	// changes the log announces: once a change was seen (seen), the read
	// must not overwrite it.
	mu   sync.Mutex
	seen bool
}

// startKeyspaceEvents follows the replicated setting: it reads it from
// the store and listens for its changes, until the server closes. The
// messages themselves are made by the pub/sub Hub's hook (keyspaceHook),
// so that they keep their order with the published messages.
func (s *Server) startKeyspaceEvents() {
	if s.strs == nil {
		return
	}
	n, ok := s.strs.KV().(layers.Notifier)
	if !ok {
		return
	}
	ks := &keyspaceNotifier{s: s}
	stop := n.Listen(ks.onEvent)
	go ks.loadConfig()
	go func() {
		<-s.ctx.Done()
		stop()
		strkv.ReleaseNotifyMask(s)
	}()
}

// loadConfig reads the replicated notify-keyspace-events once the store
// serves reads, unless a change was applied meanwhile.
func (ks *keyspaceNotifier) loadConfig() {
	s := ks.s
	for {
		var mask strkv.Class
		// Not commandContext: CommandTimeout may still change until Serve.
		ctx, cancel := context.WithTimeout(s.ctx, DefaultCommandTimeout)
		err := s.strs.View(ctx, func(r *strkv.Reader) error {
			var err error
			mask, err = strkv.ReadNotifyConfig(r.Source())
			return err
		})
		cancel()
		if err == nil {
			ks.mu.Lock()
			if !ks.seen {
				s.ext.cfg.notify.Store(int64(mask))
				strkv.TrackNotifyMask(s, mask, false)
			}
			ks.mu.Unlock()
			return
		}
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// onEvent is the store listener, on the apply path: it follows the
// setting.
func (ks *keyspaceNotifier) onEvent(ev layers.Event) {
	if ev.Topic != strkv.TopicNotifyConfig {
		return
	}
	mask, err := strkv.DecodeNotifyConfig(ev.Payload)
	if err != nil {
		return
	}
	ks.mu.Lock()
	ks.seen = true
	ks.s.ext.cfg.notify.Store(int64(mask))
	strkv.TrackNotifyMask(ks.s, mask, true)
	ks.mu.Unlock()
}

// keyspaceHook returns the Hub's hook that turns keyspace events into
// messages. It keeps its own copy of the setting, changed by the events it
// sees, so that each event is judged by the setting of its point in the
// log.
func (s *Server) keyspaceHook() func(ev layers.Event) []*pubsub.Message {
	mask := int(s.ext.cfg.notify.Load())
	return func(ev layers.Event) []*pubsub.Message {
		switch ev.Topic {
		case strkv.TopicNotifyConfig:
			if m, err := strkv.DecodeNotifyConfig(ev.Payload); err == nil {
				mask = int(m)
			}
		case strkv.TopicKeyspace:
			if mask&(NotifyKeyspace|NotifyKeyevent) == 0 {
				return nil
			}
			class, db, event, key, err := strkv.DecodeKeyspaceEvent(ev.Payload)
			if err != nil || mask&int(class) == 0 {
				return nil
			}
			return keyspaceMessages(mask, db, event, key)
		}
		return nil
	}
}

// keyspaceMessages returns the messages of one event, keyspace first as
// Redis publishes them. The event's payload is its own (Notify copied it),
// so the messages may alias it.
func keyspaceMessages(mask, db int, event, key []byte) []*pubsub.Message {
	msgs := make([]*pubsub.Message, 0, 2)
	dbs := strconv.Itoa(db)
	if mask&NotifyKeyspace != 0 {
		ch := make([]byte, 0, len("__keyspace@__:")+len(dbs)+len(key))
		ch = append(append(append(append(ch, "__keyspace@"...), dbs...), "__:"...), key...)
		msgs = append(msgs, &pubsub.Message{Namespace: pubsub.Redis, Channel: ch, Payload: event})
	}
	if mask&NotifyKeyevent != 0 {
		ch := make([]byte, 0, len("__keyevent@__:")+len(dbs)+len(event))
		ch = append(append(append(append(ch, "__keyevent@"...), dbs...), "__:"...), event...)
		msgs = append(msgs, &pubsub.Message{Namespace: pubsub.Redis, Channel: ch, Payload: key})
	}
	return msgs
}
