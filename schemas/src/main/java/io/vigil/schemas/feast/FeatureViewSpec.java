package io.vigil.schemas.feast;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * An immutable feature view as Vigil writes it to Redis and Feast reads it: name, definition
 * version, one entity join key, and the features in the order {@link FeatureRow#values} carries
 * them. The Redis hash fields are computed once here.
 *
 * <p>Feast addresses fields by view name, not version: a new {@link #version()} whose features
 * change meaning must also get a new name (e.g. {@code customer_spending_v2}), or old and new
 * writers would share fields.
 */
public final class FeatureViewSpec {
    private final String name;
    private final int version;
    private final String entityJoinKey;
    private final FeastType entityType;
    private final List<FeatureSpec> features;
    private final byte[][] featureFields;
    private final List<String> qualifiedFeatureNames;
    private final byte[] timestampField;
    private final byte[] historyTimestampField;
    private final byte[] historyField;

    public FeatureViewSpec(
            String name,
            int version,
            String entityJoinKey,
            FeastType entityType,
            List<FeatureSpec> features) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a feature view needs a name");
        }
        if (version < 1) {
            throw new IllegalArgumentException(
                    "feature view " + name + ": version must be >= 1, got " + version);
        }
        if (entityJoinKey == null || entityJoinKey.isBlank()) {
            throw new IllegalArgumentException(
                    "feature view " + name + ": needs an entity join key");
        }
        if (entityType == null || !entityType.allowedInEntityKey()) {
            throw new IllegalArgumentException(
                    "feature view "
                            + name
                            + ": entity type must be STRING, INT64 or INT32, got "
                            + entityType);
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("feature view " + name + ": needs features");
        }
        HashSet<String> seen = new HashSet<>();
        for (FeatureSpec f : features) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException(
                        "feature view " + name + ": duplicate feature " + f.name());
            }
        }
        this.name = name;
        this.version = version;
        this.entityJoinKey = entityJoinKey;
        this.entityType = entityType;
        this.features = List.copyOf(features);
        this.featureFields =
                this.features.stream()
                        .map(f -> FeatureFieldHasher.featureField(name, f.name()))
                        .toArray(byte[][]::new);
        this.qualifiedFeatureNames =
                this.features.stream().map(f -> qualifiedName(name, f.name())).toList();
        this.timestampField = FeatureFieldHasher.timestampField(name);
        this.historyTimestampField = FeatureFieldHasher.historyTimestampField(name);
        this.historyField = FeatureFieldHasher.historyField(name);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public String entityJoinKey() {
        return entityJoinKey;
    }

    public FeastType entityType() {
        return entityType;
    }

    public List<FeatureSpec> features() {
        return features;
    }

    public int featureCount() {
        return features.size();
    }

    /**
     * {@code <view>:<feature>}: how Feast names a feature of a view (and what it hashes into the
     * feature's Redis field), and how Vigil's feature vectors and model inputs name it.
     */
    public static String qualifiedName(String view, String feature) {
        return view + ":" + feature;
    }

    /** {@link #qualifiedName} of each feature, in {@link #features()} order. */
    public List<String> qualifiedFeatureNames() {
        return qualifiedFeatureNames;
    }

    /** The 4-byte hash field of feature {@code i} (a copy). */
    public byte[] featureField(int i) {
        return featureFields[i].clone();
    }

    /** The {@code _ts:<name>} field (a copy). */
    public byte[] timestampField() {
        return timestampField.clone();
    }

    /**
     * The Vigil-private {@code _vigil_ts:<name>} field (a copy): the serialized {@code
     * google.protobuf.Timestamp} of the as-of time of {@link #historyField()}.
     */
    public byte[] historyTimestampField() {
        return historyTimestampField.clone();
    }

    /**
     * The Vigil-private {@code _vigil_history:<name>} field (a copy): the entity's window history
     * snapshot, encoded by {@code io.vigil.schemas.history.WindowHistoryCodec}.
     */
    public byte[] historyField() {
        return historyField.clone();
    }

    /** The entity key of {@code entityId}, parsed to the entity type (ids travel as strings). */
    public EntityKey entityKey(String entityId) {
        Objects.requireNonNull(entityId, () -> "entity id for feature view " + name);
        try {
            FeastValue v =
                    switch (entityType) {
                        case INT64 -> FeastValue.ofInt64(Long.parseLong(entityId));
                        case INT32 -> FeastValue.ofInt32(Integer.parseInt(entityId));
                        default -> FeastValue.ofString(entityId);
                    };
            return EntityKey.of(entityJoinKey, v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "feature view "
                            + name
                            + ": entity id '"
                            + entityId
                            + "' is not an "
                            + entityType,
                    e);
        }
    }

    /** The entity's Redis key (entity_key_serialization_version 3). */
    public byte[] redisKey(String entityId, String project) {
        return RedisKeys.key(entityKey(entityId), project);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureViewSpec other
                && name.equals(other.name)
                && version == other.version
                && entityJoinKey.equals(other.entityJoinKey)
                && entityType == other.entityType
                && features.equals(other.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, entityJoinKey, entityType, features);
    }

    @Override
    public String toString() {
        return name + " v" + version + " (" + entityJoinKey + " " + entityType + "): " + features;
    }
}
