package io.vigil.cli;

import io.vigil.simulator.feed.LabelPolicy;
import io.vigil.simulator.feed.TimeMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value parsers; each failure names the accepted forms. */
public final class Converters {

    private Converters() {}

    /** ISO-8601 ({@code PT30S}, {@code P7D}) or a number with a unit: 500ms, 30s, 5m, 2h, 7d. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'"
                                + value
                                + "' is not a duration (e.g. PT30S, P7D, 500ms, 30s, 5m, 2h, 7d)");
            }
        }
    }

    /** {@code simulated} or {@code wall-clock}. */
    public static final class TimeModeConverter implements ITypeConverter<TimeMode> {
        @Override
        public TimeMode convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "simulated" -> TimeMode.SIMULATED;
                case "wall-clock", "wallclock", "wall_clock" -> TimeMode.WALL_CLOCK;
                default ->
                        throw new TypeConversionException(
                                "'" + value + "' is not a time mode (simulated or wall-clock)");
            };
        }
    }

    /** {@code all}, {@code fraud-only} or {@code none}. */
    public static final class LabelPolicyConverter implements ITypeConverter<LabelPolicy> {
        @Override
        public LabelPolicy convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "all" -> LabelPolicy.ALL;
                case "fraud-only", "fraud_only" -> LabelPolicy.FRAUD_ONLY;
                case "none" -> LabelPolicy.NONE;
                default ->
                        throw new TypeConversionException(
                                "'" + value + "' is not a label policy (all, fraud-only or none)");
            };
        }
    }

    /** When a drift starts: an ISO-8601 instant or a number of days after the simulation start. */
    public record DriftStart(Instant instant, Integer day) {
        public Instant resolve(Instant simulationStart) {
            return instant != null ? instant : simulationStart.plus(Duration.ofDays(day));
        }
    }

    /** Parses {@link DriftStart}. */
    public static final class DriftStartConverter implements ITypeConverter<DriftStart> {
        @Override
        public DriftStart convert(String value) {
            String v = value.trim();
            if (v.matches("\\d{1,6}")) {
                return new DriftStart(null, Integer.parseInt(v));
            }
            try {
                return new DriftStart(Instant.parse(v), null);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'"
                                + value
                                + "' is neither a day number after the start (e.g. 90) nor an"
                                + " instant (e.g. 2018-07-01T00:00:00Z)");
            }
        }
    }
}
