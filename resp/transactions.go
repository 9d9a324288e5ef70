package resp

// Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH (in progress).

// transactionCommands lists this file's commands for the command table.
func transactionCommands() []*command { return nil }
