"""Vigil's v1 feature views, as Feast sees them.

Names, feature names, order and dtypes must equal io.vigil.schemas.feast.FeatureViews (Java);
compat/feast/check_online.py fails when they differ. Vigil's Flink feature job writes the online
store; Feast only reads it, so the batch sources below are placeholders that `feast apply` never
opens (the schema is explicit, nothing is inferred from the files).
"""

from datetime import timedelta

from feast import Entity, FeatureView, Field, FileSource, PushSource, ValueType
from feast.types import Float64, Int64

customer = Entity(
    name="customer",
    join_keys=["customer_id"],
    value_type=ValueType.STRING,
    description="A card holder (Transaction.customer_id).",
)

terminal = Entity(
    name="terminal",
    join_keys=["terminal_id"],
    value_type=ValueType.STRING,
    description="A payment terminal (Transaction.terminal_id).",
)


def _push_source(view_name: str) -> PushSource:
    return PushSource(
        name=f"{view_name}_push",
        batch_source=FileSource(
            name=f"{view_name}_batch",
            path=f"data/{view_name}.parquet",
            timestamp_field="event_timestamp",
        ),
    )


def _features(value_feature: str):
    fields = []
    for days in (1, 7, 30):
        fields.append(Field(name=f"nb_tx_{days}d", dtype=Int64))
        fields.append(Field(name=f"{value_feature}_{days}d", dtype=Float64))
    return fields


# ttl=0: Feast never hides a row for age; Redis key expiry (RedisSinkConfig.ttl) removes idle entities.
customer_spending = FeatureView(
    name="customer_spending",
    entities=[customer],
    ttl=timedelta(0),
    schema=_features("avg_amount"),
    online=True,
    source=_push_source("customer_spending"),
    tags={"vigil_feature_view_version": "1"},
    description="Counts and mean amounts of a customer's transactions in (t - w, t], w = 1, 7, 30 days.",
)

terminal_risk = FeatureView(
    name="terminal_risk",
    entities=[terminal],
    ttl=timedelta(0),
    schema=_features("risk"),
    online=True,
    source=_push_source("terminal_risk"),
    tags={"vigil_feature_view_version": "1"},
    description=(
        "Transaction counts and fraud shares of a terminal in (t - (7d + w), t - 7d], w = 1, 7, 30 days."
    ),
)
