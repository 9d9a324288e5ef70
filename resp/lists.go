package resp

// List commands: LPUSH, RPUSH, ... (in progress).

// listCommands lists this file's commands for the command table.
func listCommands() []*command { return nil }
