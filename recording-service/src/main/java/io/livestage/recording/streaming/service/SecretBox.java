package io.livestage.recording.streaming.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

import io.livestage.recording.config.RecordingConfig;

/**
 * Encrypts stream keys (and URLs that carry one) at rest: AES-256-GCM with a random 96-bit nonce, stored as
 * {@code nonce || ciphertext || tag} next to the id of the key used. The row's identity is the associated data, so a
 * ciphertext copied onto another row does not decrypt. Keys come from configuration by id; new ciphertexts use the
 * current one, old ones decrypt as long as their key is configured (rotation: add a key, make it current, re-save).
 * Nothing here logs or puts a plaintext into an exception message.
 */
@ApplicationScoped
public class SecretBox {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A ciphertext and the id of the key that made it. */
    public record Sealed(String keyId, byte[] ciphertext) {
    }

    private final Map<String, SecretKeySpec> keys = new TreeMap<>();
    private final String current;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecretBox(RecordingConfig config) {
        this(parse(config.streaming().keys()), config.streaming().currentKey());
    }

    /** {@code id:base64,id:base64} as a map; blank entries are skipped. */
    static Map<String, String> parse(String keys) {
        Map<String, String> parsed = new TreeMap<>();
        for (String entry : keys == null ? new String[0] : keys.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("livestage.recording.streaming.keys (LIVESTAGE_STREAM_KEYS) is "
                        + "id:base64-of-32-bytes, comma separated; an entry has no id");
            }
            parsed.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
        }
        return parsed;
    }

    /** A box of explicit keys (base64 AES-256 by id) writing with {@code current}. */
    public SecretBox(Map<String, String> keys, String current) {
        keys.forEach((id, base64) -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("stream secret key " + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("stream secret key " + id + " must be 32 bytes (AES-256), base64; "
                        + "it has " + key.length + " (make one with: openssl rand -base64 32)");
            }
            this.keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!this.keys.containsKey(current)) {
            throw new IllegalStateException("livestage.recording.streaming.current-key (LIVESTAGE_STREAM_CURRENT_KEY) "
                    + "names " + current + ", which is not among the key ids of livestage.recording.streaming.keys "
                    + "(LIVESTAGE_STREAM_KEYS): " + this.keys.keySet());
        }
        this.current = current;
    }

    void check(@Observes StartupEvent start) {
        // the constructor has validated the keys; this makes the bean (and so the check) run at startup
        currentKeyId();
    }

    /** The id new ciphertexts are written with. */
    public String currentKeyId() {
        return current;
    }

    public Sealed seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new Sealed(current, ByteBuffer.allocate(nonce.length + body.length).put(nonce).put(body).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext of a ciphertext sealed with {@code context}; fails without saying anything about the secret. */
    public String open(Sealed sealed, String context) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("a stream secret was encrypted with key id " + sealed.keyId()
                    + ", which is no longer configured (livestage.recording.streaming.keys)");
        }
        byte[] data = sealed.ciphertext();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("a stored stream secret is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored stream secret does not decrypt with key id " + sealed.keyId()
                    + " (wrong key or tampered row)");
        }
    }
}
