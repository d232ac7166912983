package io.livestage.session.service;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

/** 8 characters of [a-z0-9] from a CSPRNG: 36^8 ≈ 2.8e12 codes, not guessable from another session's slug. */
@ApplicationScoped
public class SlugGenerator {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    public static final int LENGTH = 8;
    private final SecureRandom random = new SecureRandom();

    public String next() {
        char[] slug = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            slug[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(slug);
    }
}
