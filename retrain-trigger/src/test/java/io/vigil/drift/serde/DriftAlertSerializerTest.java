package io.vigil.drift.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.drift.records.Alert;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.DriftMetric;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DriftAlertSerializerTest {

    private static final Instant WINDOW_START = Instant.parse("2018-06-01T03:00:00Z");
    private static final Instant WINDOW_END = Instant.parse("2018-06-01T04:00:00Z");

    @Test
    void writesTheAlertKeyedByModelWithItsWindowInTheRecordNotInTheRecordTime() throws Exception {
        DriftAlertSerializer serializer = new DriftAlertSerializer("alerts");
        serializer.open(null, null);
        Alert alert =
                new Alert(
                        "fraud",
                        "v1",
                        "request:tx_amount",
                        DriftMetric.PSI,
                        0.8,
                        0.25,
                        WINDOW_START.toEpochMilli(),
                        WINDOW_END.toEpochMilli(),
                        1_200);

        ProducerRecord<byte[], byte[]> record =
                serializer.serialize(alert, null, WINDOW_END.toEpochMilli());

        assertThat(record.topic()).isEqualTo("alerts");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("fraud");
        // A 2018 window end as record time would fall outside any time-based retention.
        assertThat(record.timestamp()).as("left to the producer's clock").isNull();
        DriftAlert written =
                AvroSerde.of(DriftAlert.class).deserialize("alerts", 0, 0, record.value());
        assertThat(written).isEqualTo(alert.toAvro());
        assertThat(written.getWindowStart()).isEqualTo(WINDOW_START);
        assertThat(written.getWindowEnd()).isEqualTo(WINDOW_END);
        assertThat(written.getCreatedAt()).isEqualTo(WINDOW_END);
    }
}
