package io.livestage.analytics.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary form of {@link Fact} for the store and its changelog: a kind byte, then the fields (strings as
 * UTF with a presence flag, nullable longs with a flag). Written for the write path: one small array per event.
 */
public final class FactSerde {
    private static final byte SESSION = 1;
    private static final byte PARTICIPANT = 2;
    private static final byte REQUEST = 3;
    private static final byte CONNECTION = 4;
    private static final byte MESSAGE = 5;
    private static final byte REACTIONS = 6;

    private FactSerde() {
    }

    public static Serde<Fact> serde() {
        Serializer<Fact> serializer = (topic, fact) -> fact == null ? null : write(fact);
        Deserializer<Fact> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    public static byte[] write(Fact fact) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (fact) {
                case Fact.SessionMeta s -> {
                    out.writeByte(SESSION);
                    out.writeLong(s.sequence());
                    text(out, s.title());
                    text(out, s.hostId());
                    text(out, s.spaceId());
                    time(out, s.startedAt());
                    time(out, s.endedAt());
                }
                case Fact.Participant p -> {
                    out.writeByte(PARTICIPANT);
                    text(out, p.userId());
                    out.writeLong(p.roleSequence());
                    text(out, p.role());
                    text(out, p.name());
                    out.writeLong(p.speakingSeconds());
                    out.writeBoolean(p.spoke());
                }
                case Fact.StageRequest r -> {
                    out.writeByte(REQUEST);
                    text(out, r.userId());
                    out.writeBoolean(r.requested());
                    out.writeBoolean(r.approved());
                }
                case Fact.Connection c -> {
                    out.writeByte(CONNECTION);
                    text(out, c.viewerKey());
                    text(out, c.role());
                    text(out, c.deviceType());
                    text(out, c.region());
                    time(out, c.joinedAt());
                    time(out, c.leftAt());
                }
                case Fact.Message m -> {
                    out.writeByte(MESSAGE);
                    out.writeLong(m.sentAt());
                }
                case Fact.Reactions r -> {
                    out.writeByte(REACTIONS);
                    out.writeLong(r.windowStart());
                    out.writeInt(r.counts().size());
                    for (Map.Entry<String, Long> e : new TreeMap<>(r.counts()).entrySet()) {
                        out.writeUTF(e.getKey());
                        out.writeLong(e.getValue());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Fact read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte kind = in.readByte();
            return switch (kind) {
                case SESSION -> new Fact.SessionMeta(in.readLong(), text(in), text(in), text(in), time(in), time(in));
                case PARTICIPANT -> new Fact.Participant(text(in), in.readLong(), text(in), text(in), in.readLong(),
                        in.readBoolean());
                case REQUEST -> new Fact.StageRequest(text(in), in.readBoolean(), in.readBoolean());
                case CONNECTION -> new Fact.Connection(text(in), text(in), text(in), text(in), time(in), time(in));
                case MESSAGE -> new Fact.Message(in.readLong());
                case REACTIONS -> {
                    long start = in.readLong();
                    int n = in.readInt();
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        counts.put(in.readUTF(), in.readLong());
                    }
                    yield new Fact.Reactions(start, counts);
                }
                default -> throw new IllegalArgumentException("unknown fact kind " + kind);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void time(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long time(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
