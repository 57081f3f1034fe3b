package io.vigil.schemas.feast;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Hash field names inside an entity's Redis hash: per feature, the 4 little-endian bytes of
 * MurmurHash3_x86_32 (seed 0) of UTF-8 {@code "<feature_view>:<feature>"} (Feast's {@code _mmh3});
 * per feature view, the ASCII field {@code "_ts:<feature_view>"} holding the row's event time.
 *
 * <p>Vigil adds two private fields per view that Feast never reads (it HMGETs its own fields only):
 * {@code "_vigil_ts:<feature_view>"}, the serialized {@code google.protobuf.Timestamp} of the
 * entity's window history snapshot, and {@code "_vigil_history:<feature_view>"}, the snapshot
 * itself ({@code io.vigil.schemas.history.WindowHistoryCodec}).
 */
public final class FeatureFieldHasher {
    private FeatureFieldHasher() {}

    public static byte[] featureField(String featureView, String feature) {
        byte[] input =
                FeatureViewSpec.qualifiedName(featureView, feature)
                        .getBytes(StandardCharsets.UTF_8);
        int h = MurmurHash3.hash32x86(input, 0, input.length, 0);
        return new byte[] {(byte) h, (byte) (h >>> 8), (byte) (h >>> 16), (byte) (h >>> 24)};
    }

    public static byte[] timestampField(String featureView) {
        return ("_ts:" + featureView).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] historyTimestampField(String featureView) {
        return ("_vigil_ts:" + featureView).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] historyField(String featureView) {
        return ("_vigil_history:" + featureView).getBytes(StandardCharsets.UTF_8);
    }
}
