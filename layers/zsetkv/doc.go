// Package zsetkv is Redis sorted sets on ordered keys, as a collection layer over the
// Redis keyspace of package strkv (in progress).
package zsetkv
