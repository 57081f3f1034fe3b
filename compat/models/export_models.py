"""Exports fraud models the way Vigil's users do, for the Java compat check (ModelCompatITCase).

    python export_models.py OUTDIR

Trains small classifiers with scikit-learn, XGBoost and LightGBM on a deterministic synthetic set
shaped like Vigil's 15 v1 features, exports each with the usual converter (skl2onnx, onnxmltools),
and writes to OUTDIR:

    manifest.json              features, rows file, and per model: file, input/output names, output
                               layout, converter, and how far ONNX is from the library's own
                               predict_proba
    rows.csv                   header = feature names, then ROWS rows of float32 values, exact
    <model>.onnx
    <model>.probabilities.csv  P(class 1) per row as Python's onnxruntime computes it

Exits non-zero if an exported model disagrees with its library by more than 1e-4 (a broken
converter would otherwise make the Java comparison meaningless).
"""

import importlib.metadata
import json
import pathlib
import sys

import numpy as np
import onnxruntime as ort
from lightgbm import LGBMClassifier
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType as MlFloatTensorType
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

# FeatureCatalog.v1().defaultSignature(): request features, then customer_spending, terminal_risk.
FEATURES = [
    "request:tx_amount",
    "request:tx_during_weekend",
    "request:tx_during_night",
    "customer_spending:nb_tx_1d",
    "customer_spending:avg_amount_1d",
    "customer_spending:nb_tx_7d",
    "customer_spending:avg_amount_7d",
    "customer_spending:nb_tx_30d",
    "customer_spending:avg_amount_30d",
    "terminal_risk:nb_tx_1d",
    "terminal_risk:risk_1d",
    "terminal_risk:nb_tx_7d",
    "terminal_risk:risk_7d",
    "terminal_risk:nb_tx_30d",
    "terminal_risk:risk_30d",
]
TRAIN_ROWS = 20_000
ROWS = 2_000
LIBRARY_TOLERANCE = 1e-4
# Opsets every converter here supports (onnxmltools: at most 15) and ONNX Runtime 1.28 runs;
# otherwise skl2onnx would pick the newest it knows.
TARGET_OPSET = {"": 15, "ai.onnx.ml": 3}


def synthetic(n, seed):
    """Rows like Vigil's features (amounts, 0/1 flags, counts, means, risk shares), fraud ~5.5 %."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, len(FEATURES)), dtype=np.float32)
    x[:, 0] = np.round(np.abs(rng.normal(50, 60, n)), 2)
    x[:, 1] = rng.integers(0, 7, n) >= 5
    x[:, 2] = rng.integers(0, 24, n) <= 6
    for w, days in enumerate((1, 7, 30)):
        x[:, 3 + 2 * w] = rng.integers(0, 3 * days + 1, n)
        x[:, 4 + 2 * w] = rng.normal(50, 15, n)
        x[:, 9 + 2 * w] = rng.integers(0, 10 * days + 1, n)
        x[:, 10 + 2 * w] = np.where(rng.random(n) < 0.1, rng.random(n), 0)
    z = -4 + 0.01 * x[:, 0] + 3 * x[:, 10] + 1.5 * x[:, 12] + np.where(x[:, 0] > 220, 2.5, 0)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(np.int64)
    return x, y


def sklearn_input(name):
    return [(name, FloatTensorType([None, len(FEATURES)]))]


def ml_input(name):
    return [(name, MlFloatTensorType([None, len(FEATURES)]))]


def models(x, y):
    """(name, fitted estimator, export function, ONNX input name)."""
    rf = RandomForestClassifier(n_estimators=40, max_depth=8, random_state=7, n_jobs=1)
    yield (
        "sklearn-random-forest-zipmap",
        rf.fit(x, y),
        lambda m: to_onnx(m, initial_types=sklearn_input("float_input"), target_opset=TARGET_OPSET),
        "float_input",
    )

    lr = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=500))
    yield (
        "sklearn-logistic-regression-tensor",
        lr.fit(x, y),
        # Input name skl2onnx derives from the sample ('X'); probabilities as a float tensor [N, 2].
        lambda m: to_onnx(
            m, x[:1], options={id(m.steps[-1][1]): {"zipmap": False}}, target_opset=TARGET_OPSET
        ),
        "X",
    )

    # String class labels: the ZipMap's keys are the strings "0" and "1".
    # (HistGradientBoostingClassifier would be the natural pick, but skl2onnx 1.20 cannot convert
    # scikit-learn 1.9's: "Expected an int, got a boolean" in TreeEnsembleClassifier.)
    extra = ExtraTreesClassifier(n_estimators=40, max_depth=8, random_state=7, n_jobs=1)
    yield (
        "sklearn-extra-trees-string-labels",
        extra.fit(x, y.astype(str)),
        lambda m: to_onnx(m, initial_types=sklearn_input("input"), target_opset=TARGET_OPSET),
        "input",
    )

    # One output per class: the model's probability output is the class-1 column, [N].
    gb = GradientBoostingClassifier(n_estimators=50, max_depth=3, random_state=7)
    yield (
        "sklearn-gradient-boosting-columns",
        gb.fit(x, y),
        lambda m: to_onnx(
            m,
            initial_types=sklearn_input("input"),
            options={id(m): {"zipmap": "columns"}},
            target_opset=TARGET_OPSET,
        ),
        "input",
    )

    xgb = XGBClassifier(n_estimators=60, max_depth=4, learning_rate=0.3, random_state=7, n_jobs=1)
    yield (
        "xgboost",
        xgb.fit(x, y),
        lambda m: convert_xgboost(
            m, initial_types=ml_input("features"), target_opset=TARGET_OPSET[""]
        ),
        "features",
    )

    lgbm = LGBMClassifier(n_estimators=60, num_leaves=15, random_state=7, n_jobs=1, verbose=-1)
    yield (
        "lightgbm-zipmap",
        lgbm.fit(x, y),
        lambda m: convert_lightgbm(
            m, initial_types=ml_input("features"), target_opset=TARGET_OPSET[""], zipmap=True
        ),
        "features",
    )


def probability_output(session, input_name, rows, classes):
    """The output holding P(class 1) and its values: a ZipMap, a [N, 2] tensor or a [N] column.

    Both converters name a classifier's outputs (label, probabilities) in that order; with
    skl2onnx's zipmap='columns' there is one [N] output per class after the label instead.
    """
    outputs = session.get_outputs()
    if len(outputs) == 1 + len(classes):
        name = outputs[2].name
        return name, session.run([name], {input_name: rows})[0], "column"
    name = outputs[1].name
    output = session.run([name], {input_name: rows})[0]
    if isinstance(output, list):
        return name, np.array([row[classes[1]] for row in output], dtype=np.float32), "zipmap"
    return name, np.asarray(output, dtype=np.float32)[:, 1], "tensor"


def write_column(path, values):
    path.write_text("".join(f"{float(v)!r}\n" for v in values), encoding="utf-8")


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    x, y = synthetic(TRAIN_ROWS, seed=20180401)
    rows, _ = synthetic(ROWS, seed=20180501)
    # Edge rows a scorer meets: all zeros (a new customer at a new terminal), a huge amount.
    rows[0, :] = 0
    rows[1, 0] = 25_000
    with (out / "rows.csv").open("w", encoding="utf-8") as f:
        f.write(",".join(FEATURES) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")

    manifest = {
        "features": FEATURES,
        "rows_file": "rows.csv",
        "rows": ROWS,
        "packages": {
            p: importlib.metadata.version(p)
            for p in ("scikit-learn", "skl2onnx", "xgboost-cpu", "lightgbm", "onnxmltools",
                      "onnx", "onnxruntime", "numpy")
        },
        "models": [],
    }
    failures = []
    for name, model, export, input_name in models(x, y):
        onnx_model = export(model)
        path = out / f"{name}.onnx"
        path.write_bytes(onnx_model.SerializeToString())
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        inputs = [i.name for i in session.get_inputs()]
        if inputs != [input_name]:
            failures.append(f"{name}: inputs {inputs}, expected [{input_name}]")
            continue
        classes = list(model.classes_)
        output_name, p, layout = probability_output(session, input_name, rows, classes)
        library = model.predict_proba(rows)[:, 1]
        diff = float(np.max(np.abs(library - p)))
        if diff > LIBRARY_TOLERANCE:
            failures.append(f"{name}: ONNX differs from predict_proba by {diff}")
        write_column(out / f"{name}.probabilities.csv", p)
        manifest["models"].append(
            {
                "name": name,
                "file": path.name,
                "probabilities_file": f"{name}.probabilities.csv",
                "input_name": input_name,
                "output_name": output_name,
                "output_layout": layout,
                "classes": [str(c) for c in classes],
                "converter": "skl2onnx" if name.startswith("sklearn") else "onnxmltools",
                "estimator": type(model).__name__,
                "max_abs_diff_vs_library": diff,
                "probability_range": [float(p.min()), float(p.max())],
            }
        )
        print(f"[models-compat] {name}: {layout} output '{output_name}', input '{input_name}',"
              f" P(1) in [{p.min():.4f}, {p.max():.4f}], |onnx - library| <= {diff:.2e}")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print(f"[models-compat] wrote {len(manifest['models'])} models and {ROWS} rows to {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(pathlib.Path(sys.argv[1])))
