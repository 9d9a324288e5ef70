package resp

// Set commands: SADD, SREM, ... (in progress).

// setCommands lists this file's commands for the command table.
func setCommands() []*command { return nil }
