#!/usr/bin/env bash
# Feast compat check: does Feast's own SDK read what Vigil wrote to Redis?
#
#   compat/feast/run.sh --redis HOST:PORT [--redis-cluster] --expected FILE.json
#
# 1. creates (once per machine, cached by the pinned version) a venv with
#    compat/feast/requirements.txt under ${VIGIL_CACHE_DIR:-~/.cache/vigil}/venv-feast-<version>:
#    outside the work tree, so fresh clones (CI) reuse it;
# 2. copies infra/feast to a temp dir, points its online store at --redis (a node of a Redis Cluster
#    with --redis-cluster: Feast's redis_type redis_cluster), runs `feast apply`;
# 3. runs check_online.py, which calls get_online_features and compares with FILE.json.
# --redis defaults to $VIGIL_REDIS, then 127.0.0.1:6379. VIGIL_FEAST_VENV overrides the venv path.
# Exit 0 when everything matches.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
redis="${VIGIL_REDIS:-127.0.0.1:6379}"
expected=""
cluster=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --redis) redis="$2"; shift 2 ;;
    --redis-cluster) cluster=true; shift ;;
    --expected) expected="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$expected" ]] || { echo "run.sh: --expected FILE.json is required" >&2; exit 2; }
[[ -f "$expected" ]] || { echo "run.sh: expected file '$expected' does not exist" >&2; exit 2; }
expected="$(cd "$(dirname "$expected")" && pwd)/$(basename "$expected")"

feast_version="$(sed -n 's/^feast\[redis\]==\(.*\)$/\1/p' "$here/requirements.txt")"
venv="${VIGIL_FEAST_VENV:-${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}/venv-feast-$feast_version}"
python="${PYTHON:-python3}"

if [[ ! -f "$venv/.installed" ]]; then
  echo "[feast-compat] creating $venv with feast $feast_version (first run: a few minutes)"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  touch "$venv/.installed"
else
  echo "[feast-compat] using cached $venv"
fi
# importlib.metadata, not `import feast` (which alone takes seconds).
installed="$("$venv/bin/python" -c "import importlib.metadata as m; print(m.version('feast'))")"
[[ "$installed" == "$feast_version" ]] \
  || { echo "run.sh: $venv has feast $installed, expected $feast_version" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/vigil-feast-repo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$root/infra/feast/feature_store.yaml" "$root/infra/feast/features.py" "$work/"
sed -i "s|^\(  connection_string:\).*|\1 $redis|" "$work/feature_store.yaml"
grep -q "connection_string: $redis\$" "$work/feature_store.yaml" \
  || { echo "run.sh: could not set connection_string in feature_store.yaml" >&2; exit 1; }
if [[ $cluster == true ]]; then
  sed -i "s|^\(  type: redis\)\$|\1\n  redis_type: redis_cluster|" "$work/feature_store.yaml"
  grep -q "^  redis_type: redis_cluster\$" "$work/feature_store.yaml" \
    || { echo "run.sh: could not set redis_type in feature_store.yaml" >&2; exit 1; }
fi

echo "[feast-compat] feast apply in $work (online store redis $redis, cluster: $cluster)"
# The placeholder batch sources have no files; Feast warns about that and needs none.
(cd "$work" && "$venv/bin/feast" apply 2>&1 | { grep -v "Could not validate FileSource path" || true; } \
  | sed 's/^/  /')

echo "[feast-compat] get_online_features vs $expected"
"$venv/bin/python" "$here/check_online.py" --repo "$work" --expected "$expected"
