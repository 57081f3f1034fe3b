"""Reads Vigil-written features through Feast's own SDK and compares them with expectations.

Usage: check_online.py --repo <applied feast repo> --expected <json>

The expected file (written by FeastCompatITCase) lists, per feature view, its features with
dtypes in order, rows {entity, event_time_millis, values} and ids that must be absent. Checks:
the repo's feature views equal the expected definitions; get_online_features returns, for every
row, status PRESENT, the exact value (==, no tolerance), the Value oneof matching the dtype
(int64_val / double_val), the Python type (int / float) and the event timestamp to the
millisecond; absent ids come back as null values. Exits 0 when all hold, 1 with the differences.
"""

import argparse
import json
import sys

from feast import FeatureStore
from feast.protos.feast.serving.ServingService_pb2 import FieldStatus

ONEOF = {"INT64": "int64_val", "DOUBLE": "double_val", "FLOAT": "float_val", "BOOL": "bool_val",
         "STRING": "string_val", "INT32": "int32_val"}
PY_TYPE = {"INT64": int, "INT32": int, "DOUBLE": float, "FLOAT": float, "BOOL": bool, "STRING": str}
FEAST_DTYPE = {"Int64": "INT64", "Int32": "INT32", "Float64": "DOUBLE", "Float32": "FLOAT",
               "Bool": "BOOL", "String": "STRING"}


def check_definition(store, view, errors):
    fv = store.get_feature_view(view["name"])
    got = [(f.name, FEAST_DTYPE.get(str(f.dtype), str(f.dtype))) for f in fv.features]
    want = [(f["name"], f["dtype"]) for f in view["features"]]
    if got != want:
        errors.append(f"{view['name']}: Feast defines {got}, Vigil writes {want}")
    if fv.join_keys != [view["join_key"]]:
        errors.append(f"{view['name']}: join keys {fv.join_keys}, Vigil writes {view['join_key']}")


def check_view(store, view, errors):
    name, join_key = view["name"], view["join_key"]
    features = view["features"]
    rows = view["rows"]
    absent = view.get("absent", [])
    ids = [r["entity"] for r in rows] + absent
    response = store.get_online_features(
        features=[f"{name}:{f['name']}" for f in features],
        entity_rows=[{join_key: i} for i in ids],
    )
    proto = response.proto
    names = list(proto.metadata.feature_names.val)
    as_dict = response.to_dict()
    if as_dict[join_key] != ids:
        errors.append(f"{name}: entity column {as_dict[join_key][:5]}... != requested ids")

    checked = 0
    for f in features:
        col = names.index(f["name"])
        result = proto.results[col]
        for i, entity in enumerate(ids):
            where = f"{name}:{f['name']} for {join_key}={entity}"
            value, status = result.values[i], result.statuses[i]
            py = as_dict[f["name"]][i]
            if i >= len(rows):
                # Feast 0.66 reports a never-written entity as PRESENT with empty Values: null is
                # what tells it apart.
                if value.WhichOneof("val") is not None or py is not None:
                    errors.append(f"{where}: expected null, got {FieldStatus.Name(status)} {py!r}")
                continue
            row = rows[i]
            want = row["values"][features.index(f)]
            kind = value.WhichOneof("val")
            if status != FieldStatus.PRESENT:
                errors.append(f"{where}: status {FieldStatus.Name(status)}")
            elif kind != ONEOF[f["dtype"]]:
                errors.append(f"{where}: Value holds {kind}, expected {ONEOF[f['dtype']]}")
            elif type(py) is not PY_TYPE[f["dtype"]] or py != want:
                errors.append(f"{where}: got {py!r} ({type(py).__name__}), expected {want!r}")
            ts = result.event_timestamps[i]
            millis = ts.seconds * 1000 + ts.nanos // 1_000_000
            if millis != row["event_time_millis"]:
                errors.append(f"{where}: event time {millis} ms, expected {row['event_time_millis']}")
            checked += 1
    print(f"{name}: {len(rows)} entities x {len(features)} features checked ({checked} values), "
          f"{len(absent)} absent ids checked")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--expected", required=True)
    args = parser.parse_args()
    with open(args.expected, encoding="utf-8") as f:
        expected = json.load(f)

    store = FeatureStore(repo_path=args.repo)
    if store.project != expected["project"]:
        print(f"project {store.project!r} != expected {expected['project']!r}", file=sys.stderr)
        return 1
    errors = []
    for view in expected["views"]:
        check_definition(store, view, errors)
        check_view(store, view, errors)
    if errors:
        print(f"{len(errors)} mismatches between Feast's reads and Vigil's writes:", file=sys.stderr)
        for e in errors[:50]:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK: Feast reads exactly what Vigil wrote")
    return 0


if __name__ == "__main__":
    sys.exit(main())
