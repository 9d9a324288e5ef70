"""psycopg2 smoke test for Aspen's PostgreSQL listener.

Run by pgwire's TestClientDrivers with the server's DSN as argv[1]; prints
one line per check and exits non-zero on the first failure.
"""
import sys

import psycopg2
import psycopg2.errors


def main(dsn):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    # psycopg2 opens a transaction block at the first statement.
    cur.execute("CREATE TABLE py_items (id int PRIMARY KEY, name text, price numeric(8,2), ok boolean, w double precision)")
    conn.commit()
    rows = [(i, "item %d" % i if i % 3 else None, "%d.25" % i, i % 2 == 0, i / 4) for i in range(50)]
    cur.executemany("INSERT INTO py_items VALUES (%s, %s, %s, %s, %s)", rows)
    conn.commit()
    cur.execute("SELECT name, price, ok, w FROM py_items WHERE id = %s", (7,))
    got = cur.fetchone()
    assert got[0] == "item 7" and str(got[1]) == "7.25" and got[2] is False and got[3] == 1.75, got
    print("params and types ok")
    cur.execute("SELECT count(*) FROM py_items WHERE name IS NULL")
    assert cur.fetchone()[0] == 17
    print("null ok")
    cur.execute("INSERT INTO py_items (id) VALUES (1000)")
    conn.rollback()
    cur.execute("SELECT count(*) FROM py_items WHERE id = 1000")
    assert cur.fetchone()[0] == 0
    print("rollback ok")
    try:
        cur.execute("INSERT INTO py_items (id) VALUES (1)")
        raise AssertionError("duplicate key accepted")
    except psycopg2.errors.UniqueViolation as e:
        assert e.pgcode == "23505", e.pgcode
    conn.rollback()
    print("unique violation ok")
    try:
        cur.execute("SELECT 1/0")
        raise AssertionError("division by zero accepted")
    except psycopg2.errors.DivisionByZero:
        pass
    try:
        cur.execute("SELECT 1")
        raise AssertionError("statement in failed transaction accepted")
    except psycopg2.errors.InFailedSqlTransaction:
        pass
    conn.rollback()
    print("failed transaction ok")
    conn.autocommit = True
    cur.execute("SHOW standard_conforming_strings")
    assert cur.fetchone()[0] == "on"
    cur.execute("SELECT %s::text", ("it's \\ quoted",))
    assert cur.fetchone()[0] == "it's \\ quoted"
    print("quoting ok")
    cur.close()
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
