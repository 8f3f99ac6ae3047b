#!/usr/bin/env python3
"""Records the txn edge cases of txn-vectors.jsonl from a real etcd 3.4.23 (one fresh member).

Usage: start a fresh single etcd whose client URL is given as the first argument, then
    python3 record-txn-vectors.py http://127.0.0.1:42379 > ../src/main/resources/etcd-conformance/txn-vectors.jsonl
Each line has the fields of vectors.jsonl (see the README there); the exchanges are replayed in
order against one fresh store, so revisions count from 1.
"""
import base64, json, socket, sys, urllib.error, urllib.request

ENDPOINT = sys.argv[1]
seq = 0


def b(s):
    return base64.b64encode(s.encode()).decode()


def emit(name, path, request, status, raw, content_type, streaming=False, response=None, note=None, extra=None):
    global seq
    seq += 1
    line = {"seq": seq, "name": name, "target": "single", "method": "POST", "path": path, "request": request,
            "status": status, "response": response if response is not None else json.loads(raw),
            "response_raw": raw, "content_type": content_type, "streaming": streaming}
    if note:
        line["note"] = note
    if extra:
        line.update(extra)
    print(json.dumps(line))


def call(name, path, request, note=None):
    data = json.dumps(request).encode()
    req = urllib.request.Request(ENDPOINT + path, data=data, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            emit(name, path, request, r.status, r.read().decode(), r.headers.get("Content-Type"), note=note)
    except urllib.error.HTTPError as e:
        emit(name, path, request, e.code, e.read().decode(), e.headers.get("Content-Type"), note=note)


def watch(name, request, seconds, note=None):
    data = json.dumps(request).encode()
    req = urllib.request.Request(ENDPOINT + "/v3/watch", data=data, method="POST", headers={"Content-Type": "application/json"})
    lines = []
    try:
        with urllib.request.urlopen(req, timeout=seconds) as r:
            status, ctype = r.status, r.headers.get("Content-Type")
            while True:
                line = r.readline()
                if not line:
                    break
                lines.append(line.decode())
    except (socket.timeout, TimeoutError):
        pass
    emit(name, "/v3/watch", request, status, "".join(lines), ctype, streaming=True,
         response=[json.loads(l) for l in lines], note=note, extra={"curl_max_time_s": seconds})


def rng(key, **kw):
    return {"request_range": dict({"key": b(key)}, **kw)}


def put(key, value=None, **kw):
    body = {"key": b(key)}
    if value is not None:
        body["value"] = b(value)
    return {"request_put": dict(body, **kw)}


def delete(key, **kw):
    return {"request_delete_range": dict({"key": b(key)}, **kw)}


def nested(*ops):
    return {"request_txn": {"success": list(ops)}}


call("txn_headers_before_and_after_the_first_change", "/v3/kv/txn", {"success": [rng("a"), put("a", "1"), rng("a")]},
     "each op's header: the revision before the txn until the txn's first change, then the txn's")
call("txn_delete_of_nothing_counts_no_change", "/v3/kv/txn",
     {"success": [delete("zz"), rng("a"), nested(rng("a"), put("b", "1"), rng("a")), rng("a")]},
     "a delete that deletes nothing keeps the old revision; a nested txn's own header is empty, its ops follow the same rule")
call("txn_read_only_headers", "/v3/kv/txn", {"success": [rng("a"), nested(rng("b"))]})
call("txn_puts_are_checked_before_ranges", "/v3/kv/txn",
     {"success": [rng("a", revision=99), put("c", "1", lease=12345)]}, "a missing lease is found before a future range")
call("txn_nested_puts_are_checked_before_ranges", "/v3/kv/txn",
     {"success": [rng("a", revision=99), nested(put("nokey", ignore_value=True))]})
call("txn_put_checks_the_key_before_the_lease", "/v3/kv/txn", {"success": [put("nokey", ignore_value=True, lease=777)]})
call("put_checks_the_lease_before_the_key", "/v3/kv/put", {"key": b("nokey"), "ignore_value": True, "lease": 777},
     "outside a txn the order is the other way round")
call("txn_puts_in_op_order", "/v3/kv/txn", {"success": [put("n1", "1", lease=777), put("nokey", ignore_value=True)]})
call("txn_read_only_future_range", "/v3/kv/txn", {"success": [rng("a", revision=99)]})
call("txn_range_at_minus_one_never_compacted", "/v3/kv/txn", {"success": [rng("a", revision=-1)]},
     "a store never compacted has its compaction point at -1, so -1 reads the latest")
call("txn_range_at_minus_two_never_compacted", "/v3/kv/txn", {"success": [rng("a", revision=-2)]},
     "inside a txn any revision below the compaction point is compacted, negative ones too")
call("range_at_minus_two", "/v3/kv/range", {"key": b("a"), "revision": -2}, "a plain range reads the latest at any revision <= 0")
call("compact_at_2", "/v3/kv/compaction", {"revision": 2})
call("txn_range_at_minus_one_after_compaction", "/v3/kv/txn", {"success": [rng("a", revision=-1)]})
call("txn_range_at_the_compaction_point", "/v3/kv/txn", {"success": [rng("a", revision=2)]})
call("txn_range_below_the_compaction_point", "/v3/kv/txn", {"success": [rng("a", revision=1)]})
call("range_at_minus_one_after_compaction", "/v3/kv/range", {"key": b("a"), "revision": -1})
call("put_b", "/v3/kv/put", {"key": b("b"), "value": b("2")})
call("txn_delete_then_recreate", "/v3/kv/txn",
     {"success": [delete("b", range_end="AA==", prev_kv=True), put("b", "3", prev_kv=True), rng("b")]},
     "a delete whose range ends at \\0 is not a duplicate of a later put (etcd compares the interval literally); the put sees the key deleted")
call("put_k3", "/v3/kv/put", {"key": b("k3"), "value": b("x")})
call("put_k1", "/v3/kv/put", {"key": b("k1"), "value": b("x")})
call("put_k2", "/v3/kv/put", {"key": b("k2"), "value": b("x")})
call("range_sorted_by_create_with_no_order_and_a_limit", "/v3/kv/range",
     {"key": b("k"), "range_end": b("l"), "limit": 1, "sort_target": "CREATE"},
     "with no order and no filter etcd reads limit + 1 keys in key order (k1, k2) and sorts only those: k1, not k3 (the oldest)")
call("range_sorted_by_create_ascending_with_a_limit", "/v3/kv/range",
     {"key": b("k"), "range_end": b("l"), "limit": 1, "sort_target": "CREATE", "sort_order": "ASCEND"})
call("range_sorted_by_create_with_no_order_a_limit_and_a_filter", "/v3/kv/range",
     {"key": b("k"), "range_end": b("l"), "limit": 1, "sort_target": "CREATE", "min_create_revision": 1})
watch("watch_delete_then_recreate", {"create_request": {"key": b("b"), "start_revision": 5, "prev_kv": True}}, 1,
      "etcd gives a create (version 1) no prev_kv, though the key lived at the revision before")
