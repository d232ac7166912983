package io.livestage.recording.streaming;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.livestage.recording.streaming.service.SecretBox;
import io.livestage.recording.streaming.service.SecretBox.Sealed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream keys sealed with AES-256-GCM: round trip, no plaintext in the ciphertext, key rotation, tampering. */
class SecretBoxTest {
    private static final String K1 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String K2 = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    private static final String KEY = "1234567890:AbCdEfGhIjKlMnOp";

    @Test
    void sealsAndOpensWithoutTheKeyInTheCiphertext() {
        SecretBox box = new SecretBox(Map.of("k1", K1), "k1");
        Sealed sealed = box.seal(KEY, "target:1");
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(KEY)
                .doesNotContain("AbCdEf");
        assertThat(box.open(sealed, "target:1")).isEqualTo(KEY);
        assertThat(box.seal(KEY, "target:1").ciphertext()).as("a fresh nonce each time")
                .isNotEqualTo(sealed.ciphertext());
    }

    @Test
    void anOldKeyStillOpensAfterRotationAndNewSecretsUseTheCurrentOne() {
        Sealed old = new SecretBox(Map.of("k1", K1), "k1").seal(KEY, "ctx");
        SecretBox rotated = new SecretBox(Map.of("k1", K1, "k2", K2), "k2");
        assertThat(rotated.open(old, "ctx")).isEqualTo(KEY);
        assertThat(rotated.seal(KEY, "ctx").keyId()).isEqualTo("k2");
    }

    @Test
    void anotherRowsContextATamperedCiphertextOrARemovedKeyDoNotOpenAndSayNothingOfTheSecret() {
        SecretBox box = new SecretBox(Map.of("k1", K1), "k1");
        Sealed sealed = box.seal(KEY, "target:1");
        assertThatThrownBy(() -> box.open(sealed, "target:2")).hasMessageNotContaining(KEY)
                .hasMessageContaining("k1");
        byte[] tampered = sealed.ciphertext().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(new Sealed("k1", tampered), "target:1")).isInstanceOf(
                IllegalStateException.class);
        assertThatThrownBy(() -> new SecretBox(Map.of("k2", K2), "k2").open(sealed, "target:1"))
                .hasMessageContaining("no longer configured");
    }

    @Test
    void aKeyThatIsNotAes256OrAMissingCurrentKeyIsRefusedAtStartup() {
        assertThatThrownBy(() -> new SecretBox(Map.of("k1", Base64.getEncoder().encodeToString(new byte[16])), "k1"))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretBox(Map.of("k1", K1), "k9")).hasMessageContaining("k9");
    }
}
