// Package planner will turn SQL into results: parse with PostgreSQL's own
// grammar (pg_query_go), bind against the catalog, plan, rewrite and
// execute over the layers. Nothing is built here yet (the SQL engine issue).
package planner
