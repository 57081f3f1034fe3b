package io.vigil.features.redis;

/** Fields of a Redis {@code INFO} reply ("name:value" lines under "# Section" headers). */
public final class RedisInfo {

    private RedisInfo() {}

    /** The value of field {@code name} in {@code info}, or "" when the reply has none. */
    public static String field(String info, String name) {
        return info.lines()
                .filter(line -> line.startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).trim())
                .findFirst()
                .orElse("");
    }
}
