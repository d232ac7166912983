package io.livestage.recording.streaming;

import org.junit.jupiter.api.Test;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.streaming.model.TargetKind;
import io.livestage.recording.streaming.service.StreamUrls;
import io.livestage.recording.streaming.service.TargetValidation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restream targets are checked field by field before they are saved; LiveKit's redacted URLs match our own. */
class TargetValidationTest {

    @Test
    void aTelegramTargetGetsItsTrailingSlashAndTheKeyAppended() {
        TargetValidation.Valid valid = TargetValidation.validate(" Telegram channel ", "telegram",
                "rtmps://dc4-1.rtmp.t.me/s", "1234567890:AbCdEf");
        assertThat(valid.kind()).isEqualTo(TargetKind.TELEGRAM);
        assertThat(valid.name()).isEqualTo("Telegram channel");
        assertThat(valid.outputUrl()).isEqualTo("rtmps://dc4-1.rtmp.t.me/s/1234567890:AbCdEf");
    }

    @Test
    void youTubeAndTwitchHaveDefaultServers() {
        assertThat(TargetValidation.validate("yt", "YOUTUBE", null, "abcd-efgh").outputUrl())
                .isEqualTo("rtmp://a.rtmp.youtube.com/live2/abcd-efgh");
        assertThat(TargetValidation.validate("tw", "TWITCH", "", "live_1").serverUrl())
                .isEqualTo("rtmp://live.twitch.tv/app/");
    }

    @Test
    void eachWrongFieldIsNamed() {
        assertField(() -> TargetValidation.validate("", "RTMP", "rtmp://h/app/", "k"), "name");
        assertField(() -> TargetValidation.validate("x".repeat(101), "RTMP", "rtmp://h/app/", "k"), "name");
        assertField(() -> TargetValidation.validate("n", "SRT", "rtmp://h/app/", "k"), "kind");
        assertField(() -> TargetValidation.validate("n", null, "rtmp://h/app/", "k"), "kind");
        assertField(() -> TargetValidation.validate("n", "RTMP", null, "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "RTMP", "https://h/app/", "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp:///app/", "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp://h/", "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp://h/app?key=x", "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "TELEGRAM", "rtmp://dc4-1.rtmp.t.me/s/", "k"),
                "serverUrl");
        assertField(() -> TargetValidation.validate("n", "TELEGRAM", "rtmps://evil.example/s/", "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "TELEGRAM", null, "k"), "serverUrl");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp://h/app/", ""), "streamKey");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp://h/app/", "a b"), "streamKey");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp://h/app/", "a/b"), "streamKey");
        assertField(() -> TargetValidation.validate("n", "RTMP", "rtmp://h/app/", "k".repeat(257)), "streamKey");
    }

    @Test
    void aRefusalDoesNotRepeatTheKey() {
        assertThatThrownBy(() -> TargetValidation.validate("n", "RTMP", "ftp://h/app/", "secret-key-123"))
                .hasMessageNotContaining("secret-key-123");
    }

    @Test
    void liveKitsRedactedUrlMatchesTheFullUrlItStandsFor() {
        String full = "rtmps://dc4-1.rtmp.t.me/s/1234567890:AbCdEfXyz";
        assertThat(StreamUrls.matches("rtmps://dc4-1.rtmp.t.me/s/{123...Xyz}", full)).isTrue();
        assertThat(StreamUrls.matches("rtmps://dc4-1.rtmp.t.me/s/{****}", full)).isTrue();
        assertThat(StreamUrls.matches(full, full)).isTrue();
        assertThat(StreamUrls.matches("rtmps://dc5-1.rtmp.t.me/s/{123...Xyz}", full)).isFalse();
        assertThat(StreamUrls.matches("rtmps://dc4-1.rtmp.t.me/s/{999...Xyz}", full)).isFalse();
        assertThat(StreamUrls.redact(full)).isEqualTo("rtmps://dc4-1.rtmp.t.me/s/{123...Xyz}")
                .doesNotContain("AbCdEf");
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
