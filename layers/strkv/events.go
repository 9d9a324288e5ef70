package strkv

import (
	"fmt"

	"github.com/aspen-db/aspen/layers"
)

// Event topics this layer's mutations emit (see layers.Event). The payload
// of each names one key: DecodeKeyEvent reads it.
const (
	// TopicExpired: a key was deleted because its expiry had passed, by
	// the sweep or by a write that found it expired.
	TopicExpired = "strkv.expired"
)

// KeyEvent builds an event of topic about key in db.
func KeyEvent(topic string, db int, key []byte) layers.Event {
	var e enc
	e.Uvarint(uint64(db))
	e.Bytes(key)
	return layers.Event{Topic: topic, Payload: e.B}
}

// DecodeKeyEvent reads the key an event built by KeyEvent names. The key
// aliases the payload.
func DecodeKeyEvent(payload []byte) (db int, key []byte, err error) {
	d := dec{B: payload}
	db = DecodeDB(&d)
	key = d.Bytes()
	if err := d.Done(); err != nil {
		return 0, nil, fmt.Errorf("key event: %w", err)
	}
	return db, key, nil
}
