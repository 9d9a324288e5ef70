package resp

// Sorted-set commands: ZADD, ZRANGE, ... (in progress).

// zsetCommands lists this file's commands for the command table.
func zsetCommands() []*command { return nil }
