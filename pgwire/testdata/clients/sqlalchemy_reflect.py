"""SQLAlchemy reflection smoke test for Aspen's PostgreSQL listener.

Run by pgwire's TestClientDrivers with a SQLAlchemy URL as argv[1]: the
inspector's queries read pg_catalog. Prints one line per check and exits
non-zero on the first failure; a check whose query needs a feature Aspen
does not have yet (SQLSTATE 0A000) is reported and skipped.
"""
import sys

import sqlalchemy as sa
import sqlalchemy.exc


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def main(url):
    eng = sa.create_engine(url)
    with eng.begin() as c:
        c.execute(sa.text("CREATE TABLE sa_items (id int PRIMARY KEY, name varchar(20) NOT NULL, "
                          "price numeric(8,2) DEFAULT 1, code char(3) UNIQUE)"))
        c.execute(sa.text("CREATE INDEX sa_items_price ON sa_items (price)"))
        c.execute(sa.text("CREATE VIEW sa_cheap AS SELECT id FROM sa_items WHERE price < 5"))
    insp = sa.inspect(eng)
    # Other smoke tests share the database: look for this test's objects.
    check("sa_items" in insp.get_table_names(), "tables %r" % insp.get_table_names())
    check("sa_cheap" in insp.get_view_names(), "views %r" % insp.get_view_names())
    check(insp.has_table("sa_items") and not insp.has_table("nope"), "has_table")
    cols = [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in insp.get_columns("sa_items")]
    check(cols == [("id", "INTEGER", False, None), ("name", "VARCHAR(20)", False, None),
                   ("price", "NUMERIC(8, 2)", True, "1"), ("code", "CHAR(3)", True, None)], "columns %r" % cols)
    print("columns ok")
    idx = sorted((i["name"], i["unique"], i["column_names"]) for i in insp.get_indexes("sa_items"))
    check(idx == [("sa_items_code_key", True, ["code"]), ("sa_items_price", False, ["price"])], "indexes %r" % idx)
    uq = insp.get_unique_constraints("sa_items")
    check([(u["name"], u["column_names"]) for u in uq] == [("sa_items_code_key", ["code"])], "unique %r" % uq)
    check(insp.get_foreign_keys("sa_items") == [], "foreign keys")
    print("indexes ok")
    try:
        pk = insp.get_pk_constraint("sa_items")
        check(pk == {"constrained_columns": ["id"], "name": "sa_items_pkey"}, "pk %r" % pk)
        print("primary key ok")
    except sqlalchemy.exc.DBAPIError as e:
        if getattr(e.orig, "pgcode", None) != "0A000":
            raise
        print("primary key skipped:", str(e.orig).strip())


if __name__ == "__main__":
    main(sys.argv[1])
