package io.vigil.features.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * {@code --name value} arguments of the benchmark programs, with defaults; an unknown option, a
 * missing value or a missing required option is an error naming it.
 */
final class BenchArgs {
    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code args} against {@code namesAndDefaults}: option name, default, name, default,
     * ... (a null default = required).
     */
    static BenchArgs parse(String[] args, String... namesAndDefaults) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndDefaults.length; i += 2) {
            values.put(namesAndDefaults[i], namesAndDefaults[i + 1]);
        }
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown option '"
                                + args[i]
                                + "'; options: --"
                                + String.join(", --", values.keySet()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            values.put(name, args[i + 1]);
        }
        values.forEach(
                (name, value) -> {
                    if (value == null) {
                        throw new IllegalArgumentException("missing required option --" + name);
                    }
                });
        return new BenchArgs(values);
    }

    String text(String name) {
        return values.get(name);
    }

    int integer(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be an integer, got '" + values.get(name) + "'", e);
        }
    }

    Duration duration(String name) {
        try {
            return TimeUtils.parseDuration(values.get(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a duration like 10s, got '" + values.get(name) + "'",
                    e);
        }
    }
}
