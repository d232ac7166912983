package io.livestage.session.service;

/** Who is asking: the token's subject, display name and XP (the {@code xp} claim, 0 when absent). */
public record Caller(String userId, String name, int xp) {
}
