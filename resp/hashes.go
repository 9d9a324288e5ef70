package resp

// Hash commands: HSET, HGET, ... (in progress).

// hashCommands lists this file's commands for the command table.
func hashCommands() []*command { return nil }
