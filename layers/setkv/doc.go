// Package setkv is Redis sets on ordered keys, as a collection layer over the
// Redis keyspace of package strkv (in progress).
package setkv
