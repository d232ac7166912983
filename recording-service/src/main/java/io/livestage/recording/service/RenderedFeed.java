package io.livestage.recording.service;

import java.time.Instant;

/**
 * A feed as served: its UTF-8 bytes, a strong ETag over them (quoted) and when its content last changed (null when
 * nothing was ever saved; then there is no Last-Modified).
 */
public record RenderedFeed(byte[] body, String etag, Instant lastModified) {
}
