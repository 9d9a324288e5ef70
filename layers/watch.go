package layers

// Prefix watches: telling cheaply that the keys under a prefix did not
// change, so a reader can keep what it derived from them (the SQL plan
// cache keeps plans bound from the catalog).

// PrefixWatcher is implemented by stores that track the last commit
// writing under a key prefix.
type PrefixWatcher interface {
	// WatchPrefix starts tracking the commits that write under prefix.
	WatchPrefix(prefix []byte) PrefixWatch
}

// PrefixWatch tracks the writes under one prefix. Its methods take a
// transaction of the store that made it (any other Reader gets false).
type PrefixWatch interface {
	// Version fixes r's read version and returns it; ok is false when r's
	// own buffered writes touch the prefix (what r reads there is then not
	// the state at any version).
	Version(r Reader) (v uint64, ok bool, err error)
	// Unchanged fixes r's read version and reports whether r sees the keys
	// under the prefix exactly as they were at version v: r's own writes
	// do not touch them and no commit between v and r's read version
	// wrote there. It reads nothing, so it adds nothing to r's read set.
	Unchanged(r Reader, v uint64) (bool, error)
}
