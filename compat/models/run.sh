#!/usr/bin/env bash
# Model compat check, Python half: export models the way Vigil's users do.
#
#   compat/models/run.sh OUTDIR
#
# 1. creates (once per machine, cached by a hash of requirements.txt) a venv with the pinned
#    scikit-learn, skl2onnx, XGBoost, LightGBM, onnxmltools and onnxruntime under
#    ${VIGIL_CACHE_DIR:-~/.cache/vigil}/venv-models-<hash>: outside the work tree, so fresh clones
#    (CI) reuse it; VIGIL_MODELS_VENV overrides the path;
# 2. runs export_models.py OUTDIR: trains small classifiers on a deterministic synthetic set with
#    Vigil's 15 v1 features, exports them to ONNX (ZipMap, tensor and per-class outputs) and writes the rows
#    and the probabilities Python's onnxruntime computes for them (see export_models.py).
# The Java half is models/src/test/java/io/vigil/models/compat/ModelCompatITCase.java.
# Exit 0 when every model was exported and agrees with its library.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  "") echo "run.sh: OUTDIR is required (see --help)" >&2; exit 2 ;;
esac
[[ $# -eq 1 ]] || { echo "run.sh: expected one argument, OUTDIR; got $#: $*" >&2; exit 2; }
out="$1"

python="${PYTHON:-python3}"
command -v "$python" >/dev/null \
  || { echo "run.sh: '$python' not found; install Python 3.10+ with venv, or set PYTHON" >&2; exit 1; }
hash="$(sha256sum "$here/requirements.txt" | cut -c1-12)"
venv="${VIGIL_MODELS_VENV:-${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}/venv-models-$hash}"

if [[ ! -f "$venv/.installed" ]]; then
  echo "[models-compat] creating $venv (first run: a few minutes)"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  touch "$venv/.installed"
else
  echo "[models-compat] using cached $venv"
fi

# Fixed seeds and one thread per library: the same rows and probabilities on every run.
export OMP_NUM_THREADS=1
"$venv/bin/python" "$here/export_models.py" "$out"
