package io.vigil.scoring.records;

/**
 * An output record already encoded as Avro bytes, with its Kafka key: decisions keyed by
 * transaction id, the job's model events keyed by model name.
 */
public class KeyedRecord {

    public String key;
    public byte[] value;

    public KeyedRecord() {}

    public KeyedRecord(String key, byte[] value) {
        this.key = key;
        this.value = value;
    }
}
