package io.vigil.schemas.feast;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Maps a {@link FeatureRow} to the hash values Feast reads, and an HMGET reply back to a row.
 * Errors name the view, entity and feature.
 */
public final class FeatureRowCodec {
    private FeatureRowCodec() {}

    /** The serialized {@code feast.types.Value} of each feature, in the view's feature order. */
    public static byte[][] encodeValues(FeatureViewSpec view, FeatureRow row) {
        if (!view.name().equals(row.viewName)) {
            throw new IllegalArgumentException(
                    "row of view '" + row.viewName + "' given to view '" + view.name() + "'");
        }
        if (row.values == null || row.values.length != view.featureCount()) {
            throw new IllegalArgumentException(
                    "view "
                            + view.name()
                            + ", entity "
                            + row.entityId
                            + ": expected "
                            + view.featureCount()
                            + " values, got "
                            + (row.values == null ? "none" : row.values.length));
        }
        byte[][] out = new byte[row.values.length][];
        for (int i = 0; i < out.length; i++) {
            FeatureSpec f = view.features().get(i);
            try {
                out[i] = FeastValueCodec.encode(FeastValue.fromDouble(f.type(), row.values[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "view "
                                + view.name()
                                + ", entity "
                                + row.entityId
                                + ", feature "
                                + f.name()
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return out;
    }

    /** The fields to HMGET for one entity: every feature field, then {@code _ts:<view>}. */
    public static List<byte[]> readFields(FeatureViewSpec view) {
        List<byte[]> fields = new ArrayList<>(view.featureCount() + 1);
        for (int i = 0; i < view.featureCount(); i++) {
            fields.add(view.featureField(i));
        }
        fields.add(view.timestampField());
        return fields;
    }

    /**
     * Decodes the HMGET reply for {@link #readFields}: empty when the entity has no row of this
     * view; a feature missing from a stored row (or stored as Feast's null) reads as NaN. The
     * returned row has {@code ingestTimeMillis} 0.
     */
    public static Optional<FeatureRow> decode(
            FeatureViewSpec view, String entityId, List<byte[]> reply) {
        if (reply.size() != view.featureCount() + 1) {
            throw new IllegalArgumentException(
                    "view "
                            + view.name()
                            + ", entity "
                            + entityId
                            + ": expected "
                            + (view.featureCount() + 1)
                            + " HMGET values, got "
                            + reply.size());
        }
        byte[] ts = reply.get(view.featureCount());
        if (ts == null) {
            if (reply.stream().anyMatch(v -> v != null)) {
                throw new IllegalArgumentException(
                        "view "
                                + view.name()
                                + ", entity "
                                + entityId
                                + ": feature values without a _ts field");
            }
            return Optional.empty();
        }
        double[] values = new double[view.featureCount()];
        for (int i = 0; i < values.length; i++) {
            FeatureSpec f = view.features().get(i);
            byte[] raw = reply.get(i);
            try {
                Optional<FeastValue> v =
                        raw == null ? Optional.empty() : FeastValueCodec.decode(raw);
                if (v.isPresent() && v.get().type() != f.type()) {
                    throw new IllegalArgumentException(
                            "stored "
                                    + v.get().type()
                                    + " value "
                                    + HexFormat.of().formatHex(raw)
                                    + " but the feature is "
                                    + f.type());
                }
                values[i] = v.map(FeastValue::toDouble).orElse(Double.NaN);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "view "
                                + view.name()
                                + ", entity "
                                + entityId
                                + ", feature "
                                + f.name()
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        long eventTimeMillis = ProtoTimestampCodec.decode(ts).toEpochMilli();
        return Optional.of(new FeatureRow(view.name(), entityId, eventTimeMillis, 0, values));
    }
}
