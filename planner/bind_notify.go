package planner

// Binding LISTEN, UNLISTEN and NOTIFY.

import (
	"github.com/aspen-db/aspen/planner/sqlerr"
)

// notifySpec is a bound LISTEN, UNLISTEN or NOTIFY.
type notifySpec struct {
	kind    string // "LISTEN", "UNLISTEN" or "NOTIFY"
	channel string // "" with UNLISTEN: every channel
	payload string
}

// maxNotifyPayload is PostgreSQL's limit on a NOTIFY payload, in bytes.
const maxNotifyPayload = 7999

// notifyOf returns the LISTEN, UNLISTEN or NOTIFY statement st holds, or
// nil when it holds another statement.
func notifyOf(st *parsedStmt) (*notifySpec, error) {
	if st.node == nil {
		return nil, nil
	}
	switch {
	case st.node.GetListenStmt() != nil:
		return &notifySpec{kind: "LISTEN", channel: st.node.GetListenStmt().Conditionname}, nil
	case st.node.GetUnlistenStmt() != nil:
		return &notifySpec{kind: "UNLISTEN", channel: st.node.GetUnlistenStmt().Conditionname}, nil
	case st.node.GetNotifyStmt() != nil:
		n := st.node.GetNotifyStmt()
		if len(n.Payload) > maxNotifyPayload {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "payload string too long")
		}
		return &notifySpec{kind: "NOTIFY", channel: n.Conditionname, payload: n.Payload}, nil
	}
	return nil, nil
}
