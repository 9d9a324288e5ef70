"""redis-py smoke test for Aspen's Redis listener.

Run by resp's TestClientLibraries with host and port as arguments; prints
one line per check and exits non-zero on the first failure.
"""
import sys

import redis


def main(host, port):
    r = redis.Redis(host=host, port=int(port), decode_responses=True)
    assert r.ping()
    assert r.set("py:s", "v", ex=100)
    assert r.get("py:s") == "v" and 0 < r.ttl("py:s") <= 100
    assert r.set("py:s", "w", nx=True) is None
    assert r.incrbyfloat("py:f", 1.5) == 1.5
    print("strings ok")
    r.hset("py:h", mapping={"a": "1", "b": "2"})
    assert r.hgetall("py:h") == {"a": "1", "b": "2"}
    assert r.hincrby("py:h", "a", 5) == 6
    r.rpush("py:l", "x", "y", "z")
    assert r.lrange("py:l", 0, -1) == ["x", "y", "z"]
    assert r.blpop(["py:l"], timeout=1) == ("py:l", "x")
    assert r.blpop(["py:empty"], timeout=0.2) is None
    r.sadd("py:set", "a", "b", "c")
    assert r.smembers("py:set") == {"a", "b", "c"}
    r.zadd("py:z", {"m1": 1.5, "m2": 0.25, "m3": 10})
    assert r.zrange("py:z", 0, -1, withscores=True) == [("m2", 0.25), ("m1", 1.5), ("m3", 10.0)]
    assert r.zscore("py:z", "m1") == 1.5
    print("collections ok")
    pipe = r.pipeline(transaction=True)
    pipe.incr("py:c").incr("py:c").get("py:c")
    assert pipe.execute() == [1, 2, "2"]
    with r.pipeline() as p:
        p.watch("py:c")
        p.multi()
        p.incr("py:c")
        r.set("py:c", "100")  # another client changes the watched key
        try:
            p.execute()
            raise AssertionError("EXEC ran although the watched key changed")
        except redis.WatchError:
            pass
    print("transactions ok")
    for i in range(300):
        r.set("py:scan:%d" % i, i)
    assert len(set(r.scan_iter(match="py:scan:*", count=50))) == 300
    print("scan ok")
    try:
        r.lpush("py:s", "x")
        raise AssertionError("WRONGTYPE not raised")
    except redis.ResponseError as e:
        assert str(e).startswith("WRONGTYPE"), e
    print("errors ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
