package io.livestage.testing.livekit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream URLs validated and redacted like livekit/egress urls.go and livekit/protocol utils/redact.go. */
class EgressStreamsTest {

    @Test
    void theStreamKeyIsShortenedByItsLength() {
        assertThat(EgressStreams.redactIdentifier("1234567890:AbCdEf")).isEqualTo("{123...dEf}");
        assertThat(EgressStreams.redactIdentifier("123456789")).isEqualTo("{123...789}");
        assertThat(EgressStreams.redactIdentifier("12345678")).isEqualTo("{12...78}");
        assertThat(EgressStreams.redactIdentifier("123456")).isEqualTo("{12...56}");
        assertThat(EgressStreams.redactIdentifier("12345")).isEqualTo("{1...5}");
        assertThat(EgressStreams.redactIdentifier("123")).isEqualTo("{1...3}");
        assertThat(EgressStreams.redactIdentifier("12")).isEqualTo("{...}");
        assertThat(EgressStreams.redactIdentifier("")).isEqualTo("{...}");
    }

    @Test
    void rtmpUrlsKeepEverythingButTheKey() {
        assertThat(LiveKitEgress.redactStreamUrl("rtmps://dc4-1.rtmp.t.me/s/1234567890:AbCdEf"))
                .isEqualTo("rtmps://dc4-1.rtmp.t.me/s/{123...dEf}");
        assertThat(LiveKitEgress.redactStreamUrl("rtmp://host:1935/path/app/streamkey live=1"))
                .isEqualTo("rtmp://host:1935/path/app/{str...key} live=1");
        assertThat(LiveKitEgress.redactStreamUrl("mux://abcdefghij")).isEqualTo("mux://{abc...hij}");
        // Not an RTMP URL: query values go instead.
        assertThat(LiveKitEgress.redactStreamUrl("srt://host:9000?streamid=secret&mode=caller"))
                .isEqualTo("srt://host:9000?streamid={...}&mode={...}");
        assertThat(LiveKitEgress.redactStreamUrl("srt://host:9000")).isEqualTo("srt://host:9000");
    }

    @Test
    void validationNeedsAnAppAndAKeyPath() {
        EgressStreams.StreamUrl url = EgressStreams.validate("rtmps://dc4-1.rtmp.t.me/s/123:abc");
        assertThat(url.parsed()).isEqualTo("rtmps://dc4-1.rtmp.t.me/s/123:abc");
        assertThat(url.redacted()).isEqualTo("rtmps://dc4-1.rtmp.t.me/s/{12...bc}");
        assertThat(EgressStreams.validate("mux://key-of-mux").parsed())
                .isEqualTo("rtmps://global-live.mux.com:443/app/key-of-mux");
        // egress' regexp accepts an empty key: callers must check keys themselves.
        assertThat(EgressStreams.validate("rtmps://dc4-1.rtmp.t.me/s/").redacted())
                .isEqualTo("rtmps://dc4-1.rtmp.t.me/s/{...}");
        assertThatThrownBy(() -> EgressStreams.validate("rtmp://host/app")).hasMessage(
                "invalid url rtmp://host/app: " + EgressStreams.RTMP_FORMAT);
        assertThatThrownBy(() -> EgressStreams.validate("http://host/app/key"))
                .hasMessage("invalid url http://host/app/key: invalid scheme");
    }
}
