package io.livestage.events;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding, binary content mode.
 * The record value is the event data (JSON); everything else travels in these headers.
 */
public final class CloudEventHeaders {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    /** The session id: every livestage event is about one session. */
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    /** Per-session sequence number assigned by the producer that owns the aggregate (decimal string). */
    public static final String SEQUENCE = "ce_sequence";
    public static final String DATA_SCHEMA = "ce_dataschema";
    /**
     * Extension attribute {@code requestid}: the {@code X-Request-Id} of the HTTP request that caused the event (the
     * gateway's id, also in every log line of that request). Absent for events no request caused.
     */
    public static final String REQUEST_ID = "ce_requestid";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }
}
