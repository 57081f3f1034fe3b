package io.vigil.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro single-object encoding (a 2-byte marker, the writer schema's 64-bit fingerprint, then the
 * binary record) for one record type. The fingerprint lets a reader resolve records written with
 * any schema it knows: the current one and every earlier one kept under {@code avro-history/<full
 * name>/} on the classpath, so producers and consumers can be upgraded in either order as long as
 * changes are compatible (fields added or removed with defaults).
 *
 * <p>Thread-safe: Avro's encoders and decoders keep per-thread buffers.
 */
public final class AvroSerde<T extends SpecificRecord> {

    private static final String HISTORY_ROOT = "avro-history/";
    private static final Set<String> TRUSTED_PREFIXES = new HashSet<>();

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type, List<Schema> olderWriterSchemas) {
        this.type = type;
        trustPackageOf(type);
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        olderWriterSchemas.forEach(decoder::addSchema);
    }

    /** A serde for a generated record class that also reads its historical schemas. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new AvroSerde<>(type, historyOf(type));
    }

    /**
     * A serde that additionally accepts records written with the given schemas (e.g. a newer
     * producer's schema known from a deployment's schema directory).
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(
            Class<T> type, List<Schema> extraWriterSchemas) {
        List<Schema> all = new ArrayList<>(historyOf(type));
        all.addAll(extraWriterSchemas);
        return new AvroSerde<>(type, all);
    }

    public Schema schema() {
        return schema;
    }

    public Class<T> type() {
        return type;
    }

    public byte[] serialize(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes one record, or says precisely why not. Never throws anything but {@link
     * MalformedRecordException} for bad bytes, so callers can route them to the dead-letter topic.
     */
    public T deserialize(String topic, int partition, long offset, byte[] bytes)
            throws MalformedRecordException {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedRecordException(
                    topic, partition, offset, "empty value (tombstone?)", null);
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new MalformedRecordException(
                    topic,
                    partition,
                    offset,
                    "not Avro single-object encoded: " + e.getMessage(),
                    e);
        } catch (MissingSchemaException e) {
            throw new MalformedRecordException(
                    topic,
                    partition,
                    offset,
                    "written with a schema unknown to this reader of "
                            + type.getSimpleName()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            // Truncated or corrupted bodies surface as EOF, negative lengths or bad unions.
            throw new MalformedRecordException(
                    topic,
                    partition,
                    offset,
                    "cannot decode " + type.getSimpleName() + ": " + describe(e),
                    e);
        }
    }

    /**
     * Avro 1.12.2 only instantiates classes it trusts (a guard against gadget classes named in
     * untrusted schemas). Trusting the generated records' own package here spares every JVM that
     * runs Vigil (Flink task managers included) a system property.
     */
    private static synchronized void trustPackageOf(Class<?> type) {
        String prefix = type.getPackageName() + ".";
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (TRUSTED_PREFIXES.add(prefix)) {
            ClassSecurityValidator.setGlobal(
                    ClassSecurityValidator.composite(current, c -> c.getName().startsWith(prefix)));
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static List<Schema> historyOf(Class<? extends SpecificRecord> type) {
        String dir = HISTORY_ROOT + type.getName() + "/";
        ClassLoader loader = type.getClassLoader();
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = loader.getResourceAsStream(dir + "index")) {
            if (index == null) {
                return schemas;
            }
            String[] files = new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\s+");
            for (String file : files) {
                if (file.isBlank()) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(dir + file)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "schema history lists missing " + dir + file);
                    }
                    schemas.add(new Schema.Parser().parse(in));
                }
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + dir, e);
        }
    }
}
