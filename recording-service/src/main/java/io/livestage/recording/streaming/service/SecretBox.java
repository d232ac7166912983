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
import jakarta.inject.Inject;

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
        this(config.streaming().keys(), config.streaming().currentKey());
    }

    /** A box of explicit keys (base64 AES-256 by id) writing with {@code current}. */
    public SecretBox(Map<String, String> keys, String current) {
        keys.forEach((id, base64) -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("livestage.recording.streaming.keys." + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("livestage.recording.streaming.keys." + id
                        + " must be 32 bytes (AES-256), base64; it has " + key.length);
            }
            this.keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!this.keys.containsKey(current)) {
            throw new IllegalStateException("livestage.recording.streaming.current-key names " + current
                    + ", which is not among livestage.recording.streaming.keys (" + this.keys.keySet() + ")");
        }
        this.current = current;
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
