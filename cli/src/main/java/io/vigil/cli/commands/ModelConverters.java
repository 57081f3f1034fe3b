package io.vigil.cli.commands;

import io.vigil.schemas.ChallengerMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value parsers of the model commands; each failure names the accepted forms. */
final class ModelConverters {

    private ModelConverters() {}

    /** An ISO-8601 instant, or a date meaning its midnight UTC (2018-07-25 = 2018-07-25T00:00Z). */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.trim();
            try {
                return v.length() == 10
                        ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'"
                                + value
                                + "' is neither a date (2018-07-25, meaning 00:00 UTC) nor an"
                                + " instant (2018-07-25T12:00:00Z)");
            }
        }
    }

    /** The role an alias gives a version. */
    enum Role {
        CHAMPION,
        CHALLENGER
    }

    /** {@code champion} or {@code challenger}. */
    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "champion" -> Role.CHAMPION;
                case "challenger" -> Role.CHALLENGER;
                default ->
                        throw new TypeConversionException(
                                "'" + value + "' is not an alias (champion or challenger)");
            };
        }
    }

    /** How offline evaluation treats cards already known to be compromised. */
    enum Protocol {
        VIGIL,
        HANDBOOK
    }

    /** {@code vigil} or {@code handbook}. */
    static final class ProtocolConverter implements ITypeConverter<Protocol> {
        @Override
        public Protocol convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "vigil" -> Protocol.VIGIL;
                case "handbook" -> Protocol.HANDBOOK;
                default ->
                        throw new TypeConversionException(
                                "'"
                                        + value
                                        + "' is not an evaluation protocol (vigil or handbook)");
            };
        }
    }

    /** {@code shadow} or {@code canary}. */
    static final class ModeConverter implements ITypeConverter<ChallengerMode> {
        @Override
        public ChallengerMode convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "shadow" -> ChallengerMode.SHADOW;
                case "canary" -> ChallengerMode.CANARY;
                default ->
                        throw new TypeConversionException(
                                "'" + value + "' is not a challenger mode (shadow or canary)");
            };
        }
    }
}
