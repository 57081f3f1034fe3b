package io.vigil.schemas.serde;

/**
 * A record's bytes could not be decoded. The message names the topic, partition and offset so an
 * operator can find the record; the record itself goes to the dead-letter topic.
 */
public final class MalformedRecordException extends Exception {

    private final String topic;
    private final int partition;
    private final long offset;

    public MalformedRecordException(
            String topic, int partition, long offset, String reason, Throwable cause) {
        super(
                "malformed record in topic "
                        + topic
                        + " partition "
                        + partition
                        + " offset "
                        + offset
                        + ": "
                        + reason,
                cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The reason without the location, as stored in a dead letter. */
    public String reason() {
        String message = getMessage();
        return message.substring(message.indexOf(": ") + 2);
    }
}
