package io.livestage.recording.storage;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingStorageTest {
    private static final UUID SESSION = UUID.fromString("11111111-2222-4333-8444-555555555555");
    private static final UUID RECORDING = UUID.fromString("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    private static final String NAME = SESSION + "/" + RECORDING + "-2026-12-06T051000.mp3";

    @Test
    void aLocationIsTakenRelativeToEgresssFolder() {
        assertThat(RecordingStorage.relative("/out/" + NAME, "/out")).isEqualTo(NAME);
        assertThat(RecordingStorage.relative("/out/" + NAME, "/out/")).isEqualTo(NAME);
        assertThat(RecordingStorage.relative("/other/" + NAME, "/out")).isNull();
        assertThat(RecordingStorage.relative("/outside/" + NAME, "/out")).as("a prefix is not a folder").isNull();
        assertThat(RecordingStorage.relative(NAME, "")).isEqualTo(NAME);
        assertThat(RecordingStorage.relative("/" + NAME, "")).isNull();
        assertThat(RecordingStorage.relative("/out/a\0b", "/out")).isNull();
    }

    @Test
    void onlyTheRecordingsOwnFileIsServed() {
        assertThat(RecordingStorage.ownFile(NAME, SESSION, RECORDING)).isTrue();
        assertThat(RecordingStorage.ownFile(NAME, UUID.randomUUID(), RECORDING)).isFalse();
        assertThat(RecordingStorage.ownFile(NAME, SESSION, UUID.randomUUID())).isFalse();
        assertThat(RecordingStorage.ownFile(SESSION + "/" + RECORDING + "-/../../etc/passwd", SESSION, RECORDING))
                .isFalse();
        assertThat(RecordingStorage.ownFile(SESSION + "/" + RECORDING + "-..mp3", SESSION, RECORDING)).isFalse();
        assertThat(RecordingStorage.ownFile(SESSION + "/x/" + RECORDING + "-1.mp3", SESSION, RECORDING)).isFalse();
        assertThat(RecordingStorage.ownFile(SESSION + "/" + RECORDING + "-1%2F.mp3", SESSION, RECORDING)).isFalse();
    }

    @Test
    void theObjectKeyIsFoundInAnS3Location() {
        String key = "recordings/" + NAME;
        assertThat(RecordingStorage.key("https://b.s3.amazonaws.com/" + key, "recordings", SESSION, RECORDING))
                .isEqualTo(key);
        assertThat(RecordingStorage.key("http://minio:9000/b/" + key + "?x=1", "/recordings/", SESSION, RECORDING))
                .isEqualTo(key);
        assertThat(RecordingStorage.key(key, "recordings", SESSION, RECORDING)).isEqualTo(key);
        assertThat(RecordingStorage.key(NAME, "", SESSION, RECORDING)).isEqualTo(NAME);
        assertThat(RecordingStorage.key("https://b/other/" + NAME, "recordings", SESSION, RECORDING)).isNull();
        assertThat(RecordingStorage.key("https://b/" + key + "/../x", "recordings", SESSION, RECORDING)).isNull();
        assertThat(RecordingStorage.key(null, "recordings", SESSION, RECORDING)).isNull();
    }
}
