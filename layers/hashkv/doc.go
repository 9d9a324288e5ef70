// Package hashkv is Redis hashes on ordered keys, as a collection layer over the
// Redis keyspace of package strkv (in progress).
package hashkv
