"""Django ORM smoke test for Aspen's PostgreSQL listener.

Run by pgwire's TestDjangoORM with host, port, user and database as
arguments (against PostgreSQL 15 too, when it is installed, so that the
script itself is known to be right). A small app is written to a temporary
directory; makemigrations and migrate create its tables (a foreign key,
unique constraints, indexes, JSON, numeric and timestamptz columns), the
ORM reads and writes them, inspectdb and the introspection API read them
back from the catalogs, and migrating to zero drops them. Prints one line
per check and exits non-zero on the first failure.
"""
import datetime
import decimal
import io
import os
import sys
import tempfile

MODELS = '''
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]


class Product(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(max_length=20, db_index=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    attrs = models.JSONField(default=dict)
    created = models.DateTimeField()
    active = models.BooleanField(default=True)
    note = models.TextField(null=True, blank=True)

    class Meta:
        unique_together = [("category", "sku")]
        indexes = [models.Index(fields=["price", "created"], name="djshop_price_created")]
'''


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def setup(host, port, user, name):
    app = tempfile.mkdtemp(prefix="djshop")
    os.makedirs(os.path.join(app, "djshop", "migrations"))
    for path, text in [("djshop/__init__.py", ""), ("djshop/migrations/__init__.py", ""),
                       ("djshop/models.py", MODELS)]:
        with open(os.path.join(app, path), "w") as f:
            f.write(text)
    sys.path.insert(0, app)
    from django.conf import settings
    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "HOST": host, "PORT": port,
                               "USER": user, "NAME": name}},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "djshop"],
        USE_TZ=True, TIME_ZONE="UTC", DEFAULT_AUTO_FIELD="django.db.models.BigAutoField")
    import django
    django.setup()


def main(host, port, user, name):
    setup(host, port, user, name)
    from django.core.management import call_command
    from django.db import connection, transaction, IntegrityError
    from django.db.models import Avg, Count, F, Sum

    call_command("makemigrations", "djshop", verbosity=0)
    call_command("migrate", verbosity=0)
    print("migrate ok")

    from djshop.models import Category, Product
    from django.contrib.auth.models import User

    fruit = Category.objects.create(name="fruit")
    veg = Category.objects.create(name="veg")
    Category.objects.create(name="empty")
    t0 = datetime.datetime(2024, 3, 1, 12, 30, tzinfo=datetime.timezone.utc)
    Product.objects.bulk_create([
        Product(category=fruit, sku="apple", price=decimal.Decimal("1.50"), attrs={"color": "red", "n": 1},
                created=t0),
        Product(category=fruit, sku="pear", price=decimal.Decimal("0.99"), attrs={"color": "green"},
                created=t0 + datetime.timedelta(days=1)),
        Product(category=veg, sku="leek", price=decimal.Decimal("2.25"), attrs={}, created=t0, active=False),
    ])
    check(Product.objects.count() == 3, "count")
    p = Product.objects.get(sku="apple")
    check(p.price == decimal.Decimal("1.50") and p.attrs == {"color": "red", "n": 1}, "apple %r %r" % (p.price, p.attrs))
    check(p.created == t0 and p.created.tzinfo is not None, "created %r" % p.created)
    print("create ok")

    skus = list(Product.objects.filter(price__gt=1, active=True).values_list("sku", flat=True))
    check(skus == ["apple"], "filter %r" % skus)
    red = list(Product.objects.filter(attrs__color="red").values_list("sku", flat=True))
    check(red == ["apple"], "json lookup %r" % red)
    counts = [(c.name, c.n) for c in Category.objects.annotate(n=Count("products")).order_by("name")]
    check(counts == [("empty", 0), ("fruit", 2), ("veg", 1)], "annotate %r" % counts)
    agg = Product.objects.aggregate(total=Sum("price"), avg=Avg("price"))
    check(agg["total"] == decimal.Decimal("4.74"), "aggregate %r" % agg)
    rows = [(x.sku, x.category.name) for x in Product.objects.select_related("category").order_by("sku")]
    check(rows == [("apple", "fruit"), ("leek", "veg"), ("pear", "fruit")], "select_related %r" % rows)
    check(list(fruit.products.order_by("-price").values_list("sku", flat=True)) == ["apple", "pear"], "related")
    print("query ok")

    try:
        with transaction.atomic():
            Product.objects.filter(sku="pear").update(price=F("price") * 2)
            Product.objects.create(category=fruit, sku="apple", price=1, created=t0)
    except IntegrityError:
        pass
    else:
        raise AssertionError("duplicate (category, sku) accepted")
    check(Product.objects.get(sku="pear").price == decimal.Decimal("0.99"), "rollback")
    with transaction.atomic():
        n = Product.objects.filter(category=fruit).update(price=F("price") + 1)
        sid = transaction.savepoint()
        Product.objects.filter(sku="leek").delete()
        transaction.savepoint_rollback(sid)
    check(n == 2 and Product.objects.get(sku="pear").price == decimal.Decimal("1.99"), "update")
    check(Product.objects.filter(sku="leek").exists(), "savepoint rollback")
    deleted, _ = Category.objects.filter(name="veg").delete()
    check(deleted == 2 and not Product.objects.filter(sku="leek").exists(), "cascade delete %r" % deleted)
    User.objects.create_user("ann", password="x")
    check(User.objects.get(username="ann").check_password("x"), "auth user")
    print("write ok")

    with connection.cursor() as cur:
        intro = connection.introspection
        tables = intro.table_names(cur)
        check("djshop_product" in tables and "djshop_category" in tables, "tables %r" % tables)
        desc = [(c.name, c.null_ok) for c in intro.get_table_description(cur, "djshop_product")]
        check(desc == [("id", False), ("sku", False), ("price", False), ("attrs", False), ("created", False),
                       ("active", False), ("note", True), ("category_id", False)], "description %r" % desc)
        rel = intro.get_relations(cur, "djshop_product")
        check(rel == {"category_id": ("id", "djshop_category")}, "relations %r" % rel)
        check(intro.get_primary_key_column(cur, "djshop_product") == "id", "primary key")
        seqs = intro.get_sequences(cur, "djshop_product")
        check([s["column"] for s in seqs] == ["id"], "sequences %r" % seqs)
        cons = intro.get_constraints(cur, "djshop_product")
        summary = [(v["columns"], v["primary_key"], v["unique"], v["foreign_key"], v["index"])
                   for v in cons.values()]
        check((["category_id"], False, False, ("djshop_category", "id"), False) in summary,
              "foreign key constraint %r" % summary)
        check((["id"], True, True, None, False) in summary, "primary key constraint %r" % summary)
        check((["category_id", "sku"], False, True, None, False) in summary, "unique together %r" % summary)
        check((["price", "created"], False, False, None, True) in summary, "index %r" % summary)
        check(cons["djshop_price_created"]["type"] == "idx", "index type")
    print("introspection ok")

    out = io.StringIO()
    call_command("inspectdb", "djshop_category", "djshop_product", stdout=out)
    text = out.getvalue()
    for want in [
        "class DjshopCategory(models.Model):",
        "    name = models.CharField(unique=True, max_length=50)",
        "class DjshopProduct(models.Model):",
        "    id = models.BigAutoField(primary_key=True)",
        "    sku = models.CharField(max_length=20)",
        "    price = models.DecimalField(max_digits=10, decimal_places=2)",
        "    attrs = models.JSONField()",
        "    created = models.DateTimeField()",
        "    active = models.BooleanField()",
        "    note = models.TextField(blank=True, null=True)",
        "    category = models.ForeignKey(DjshopCategory, models.DO_NOTHING)",
        "        unique_together = (('category', 'sku'),)",
    ]:
        check(want in text, "inspectdb lacks %r:\n%s" % (want, text))
    print("inspectdb ok")

    # Schema changes outside migrations: an inline foreign key (which sets
    # the new constraint IMMEDIATE), its removal (SET CONSTRAINTS name
    # IMMEDIATE, then DROP CONSTRAINT), and a deferred check run early.
    from django.db import models
    supplier = models.ForeignKey(Category, models.CASCADE, null=True, related_name="+")
    supplier.set_attributes_from_name("supplier")
    with connection.schema_editor() as editor:
        editor.add_field(Product, supplier)
    with connection.cursor() as cur:
        cons = connection.introspection.get_constraints(cur, "djshop_product")
        fks = sorted(v["columns"][0] for v in cons.values() if v["foreign_key"])
        check(fks == ["category_id", "supplier_id"], "foreign keys %r" % fks)
    with connection.schema_editor() as editor:
        editor.remove_field(Product, supplier)
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("INSERT INTO djshop_product (category_id, sku, price, attrs, created, active) "
                            "VALUES (999, 'ghost', 1, '{}', now(), true)")
            connection.check_constraints()
    except IntegrityError:
        pass
    else:
        raise AssertionError("check_constraints passed a missing parent")
    check(not Product.objects.filter(sku="ghost").exists(), "ghost row")
    print("schema editor ok")

    call_command("migrate", "djshop", "zero", verbosity=0)
    with connection.cursor() as cur:
        check("djshop_product" not in connection.introspection.table_names(cur), "migrate zero")
    print("migrate zero ok")


if __name__ == "__main__":
    main(*sys.argv[1:5])
