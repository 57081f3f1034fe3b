package io.vigil.schemas.feast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** feast_golden.json (a copy of ../shared/feast_golden.json) parsed once for the codec tests. */
final class GoldenVectors {
    static final JsonNode ROOT = load();
    static final JsonNode VECTORS = ROOT.path("vectors");
    static final String PROJECT = VECTORS.path("project").asText();
    static final String VIEW = VECTORS.path("feature_view").asText();

    private GoldenVectors() {}

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] unhex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static JsonNode load() {
        try (InputStream in = GoldenVectors.class.getResourceAsStream("/feast_golden.json")) {
            if (in == null) {
                throw new IllegalStateException("feast_golden.json is not on the test classpath");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
