// Package listkv is Redis lists on ordered keys, as a collection layer over the
// Redis keyspace of package strkv (in progress).
package listkv
