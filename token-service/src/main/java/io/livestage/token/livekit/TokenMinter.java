package io.livestage.token.livekit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints LiveKit access tokens (HS256 JWT, LiveKit's claim layout) without per-call setup or intermediate strings:
 * per thread, the HMAC is keyed once and two byte buffers are reused; the claims are written as UTF-8 straight into
 * the first, Base64url-encoded behind the pre-encoded header in the second, signed there, and the signature appended,
 * so a token costs one String at the end. Compared with the SDK's {@code AccessToken.toJwt()} by {@code ./bench/run tokens}.
 */
public final class TokenMinter {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] HEADER = (B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8)) + ".").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] issuer;
    private final ThreadLocal<Scratch> scratch;

    /** One thread's keyed HMAC and buffers. */
    private static final class Scratch {
        final Mac mac;
        final byte[] signature = new byte[32];
        byte[] claims = new byte[512];
        byte[] token = new byte[1024];
        int length;

        Scratch(Mac mac) {
            this.mac = mac;
        }

        void ensure(int more) {
            if (length + more > claims.length) {
                claims = Arrays.copyOf(claims, Math.max(claims.length * 2, length + more));
            }
        }

        void raw(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, claims, length, bytes.length);
            length += bytes.length;
        }

        void raw(String ascii) {
            ensure(ascii.length());
            for (int i = 0; i < ascii.length(); i++) {
                claims[length++] = (byte) ascii.charAt(i);
            }
        }

        void number(long value) {
            raw(Long.toString(value));
        }

        /** A JSON string in UTF-8, escaped as {@link TokenMinter#quote(StringBuilder, String)} does. */
        void quoted(String value) {
            ensure(value.length() * 6 + 2);
            byte[] out = claims;
            int n = length;
            out[n++] = '"';
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    out[n++] = (byte) c;
                } else if (c == '"' || c == '\\') {
                    out[n++] = '\\';
                    out[n++] = (byte) c;
                } else if (c == '\n' || c == '\r' || c == '\t') {
                    out[n++] = '\\';
                    out[n++] = (byte) (c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
                } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                    out[n++] = '\\';
                    out[n++] = 'u';
                    out[n++] = HEX[(c >> 12) & 15];
                    out[n++] = HEX[(c >> 8) & 15];
                    out[n++] = HEX[(c >> 4) & 15];
                    out[n++] = HEX[c & 15];
                } else if (c < 0x800) {
                    out[n++] = (byte) (0xC0 | (c >> 6));
                    out[n++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, value.charAt(++i));
                    out[n++] = (byte) (0xF0 | (cp >> 18));
                    out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[n++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    out[n++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
                } else {
                    out[n++] = (byte) (0xE0 | (c >> 12));
                    out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    out[n++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            out[n++] = '"';
            length = n;
        }
    }

    public TokenMinter(String apiKey, String apiSecret) {
        if (apiKey == null || apiKey.isBlank() || apiSecret == null || apiSecret.isBlank()) {
            throw new IllegalArgumentException("LiveKit API key and secret are required (set LIVEKIT_API_KEY and LIVEKIT_API_SECRET)");
        }
        Scratch probe = new Scratch(null);
        probe.quoted(apiKey);
        this.issuer = Arrays.copyOf(probe.claims, probe.length);
        byte[] secret = apiSecret.getBytes(StandardCharsets.UTF_8);
        this.scratch = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return new Scratch(mac);
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /** A token to join {@code room} as {@code identity} with {@code rights}, valid from now for {@code ttlSeconds}. */
    public String mint(String identity, String name, String metadata, String room, LiveKitPermissions.Rights rights,
            Instant now, long ttlSeconds) {
        long nbf = now.getEpochSecond();
        Scratch s = scratch.get();
        s.length = 0;
        s.raw("{\"iss\":");
        s.raw(issuer);
        s.raw(",\"sub\":");
        s.quoted(identity);
        if (name != null) {
            s.raw(",\"name\":");
            s.quoted(name);
        }
        if (metadata != null) {
            s.raw(",\"metadata\":");
            s.quoted(metadata);
        }
        s.raw(",\"nbf\":");
        s.number(nbf);
        s.raw(",\"exp\":");
        s.number(nbf + ttlSeconds);
        s.raw(",\"video\":{\"roomJoin\":true,\"room\":");
        s.quoted(room);
        s.raw(rights.canPublish() ? ",\"canPublish\":true" : ",\"canPublish\":false");
        s.raw(rights.canSubscribe() ? ",\"canSubscribe\":true" : ",\"canSubscribe\":false");
        s.raw(rights.canPublishData() ? ",\"canPublishData\":true" : ",\"canPublishData\":false");
        if (rights.canPublish()) {
            s.raw(",\"canPublishSources\":[");
            for (int i = 0; i < rights.sources().size(); i++) {
                if (i > 0) {
                    s.raw(",");
                }
                s.quoted(rights.sources().get(i));
            }
            s.raw("]");
        }
        s.raw("}}");

        int size = HEADER.length + (s.length * 4 + 2) / 3 + 1 + 43;
        if (s.token.length < size) {
            s.token = new byte[size * 2];
        }
        byte[] token = s.token;
        System.arraycopy(HEADER, 0, token, 0, HEADER.length);
        int n = base64Url(s.claims, s.length, token, HEADER.length);
        s.mac.update(token, 0, n);
        try {
            s.mac.doFinal(s.signature, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HmacSHA256 writes 32 bytes", e);
        }
        token[n++] = '.';
        n = base64Url(s.signature, s.signature.length, token, n);
        return new String(token, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Base64url without padding of {@code src[0, length)} into {@code dst} from {@code at}; the end position. */
    static int base64Url(byte[] src, int length, byte[] dst, int at) {
        int n = at;
        int i = 0;
        for (; i + 3 <= length; i += 3) {
            int b = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF);
            dst[n++] = URL_SAFE[b >>> 18];
            dst[n++] = URL_SAFE[(b >>> 12) & 63];
            dst[n++] = URL_SAFE[(b >>> 6) & 63];
            dst[n++] = URL_SAFE[b & 63];
        }
        int rest = length - i;
        if (rest > 0) {
            int b = (src[i] & 0xFF) << 16 | (rest == 2 ? (src[i + 1] & 0xFF) << 8 : 0);
            dst[n++] = URL_SAFE[b >>> 18];
            dst[n++] = URL_SAFE[(b >>> 12) & 63];
            if (rest == 2) {
                dst[n++] = URL_SAFE[(b >>> 6) & 63];
            }
        }
        return n;
    }

    /** The video grant as LiveKit reads it; also what the token endpoint reports as {@code grants}. */
    public static StringBuilder videoGrant(StringBuilder out, String room, LiveKitPermissions.Rights rights) {
        out.append("{\"roomJoin\":true,\"room\":");
        quote(out, room);
        out.append(",\"canPublish\":").append(rights.canPublish())
                .append(",\"canSubscribe\":").append(rights.canSubscribe())
                .append(",\"canPublishData\":").append(rights.canPublishData());
        if (rights.canPublish()) {
            out.append(",\"canPublishSources\":[");
            for (int i = 0; i < rights.sources().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quote(out, rights.sources().get(i));
            }
            out.append(']');
        }
        return out.append('}');
    }

    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
