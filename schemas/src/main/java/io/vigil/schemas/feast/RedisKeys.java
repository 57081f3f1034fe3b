package io.vigil.schemas.feast;

import java.nio.charset.StandardCharsets;

/**
 * The Redis key of an entity in Feast's Redis online store: the serialized entity key followed by
 * the project name in UTF-8, with no separator and no length. All feature views sharing the entity
 * key live in that one hash.
 */
public final class RedisKeys {
    private RedisKeys() {}

    /** The key under entity_key_serialization_version 3, Feast's default since 0.50. */
    public static byte[] key(EntityKey entityKey, String project) {
        return key(entityKey, project, EntityKeySerializer.V3);
    }

    public static byte[] key(EntityKey entityKey, String project, EntityKeySerializer version) {
        if (project == null || project.isEmpty()) {
            throw new IllegalArgumentException("the Feast project name must not be empty");
        }
        return version.serialize(entityKey, project.getBytes(StandardCharsets.UTF_8));
    }
}
