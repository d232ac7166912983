package io.livestage.recording.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Presigned GET URLs for an S3-compatible bucket: AWS Signature Version 4 in the query string (the
 * {@code X-Amz-*} parameters, only {@code host} signed, {@code UNSIGNED-PAYLOAD}), written by hand so that the
 * service needs no AWS SDK. Virtual-hosted URLs ({@code https://bucket.endpoint/key}) unless path style is forced
 * ({@code https://endpoint/bucket/key}, MinIO and most self-hosted stores). The secret is only used to derive the
 * signing key; {@link #toString()} never shows it.
 */
public final class S3Presigner {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    /** S3 refuses presigned URLs valid longer than 7 days. */
    private static final long MAX_EXPIRES = Duration.ofDays(7).toSeconds();

    private final String scheme;
    private final String host;
    private final String pathPrefix;
    private final String region;
    private final String accessKey;
    private final byte[] secret;

    /**
     * @param endpoint {@code https://s3.eu-central-1.amazonaws.com}, {@code http://minio:9000}, ... (scheme, host and
     *            an optional port)
     */
    public S3Presigner(URI endpoint, String region, String bucket, boolean forcePathStyle, String accessKey,
            String secret) {
        if (endpoint.getScheme() == null || endpoint.getHost() == null) {
            throw new IllegalArgumentException("the S3 endpoint is an absolute URL such as https://s3.amazonaws.com");
        }
        String authority = endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
        this.scheme = endpoint.getScheme();
        this.host = forcePathStyle ? authority : bucket + "." + authority;
        this.pathPrefix = forcePathStyle ? "/" + encode(bucket, false) : "";
        this.region = region;
        this.accessKey = accessKey;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A URL that GETs {@code key} until {@code now + ttl} (at most 7 days); {@code extra} query parameters (e.g.
     * {@code response-content-disposition}) are signed too.
     */
    public URI presignGet(String key, Instant now, Duration ttl, Map<String, String> extra) {
        long expires = Math.max(1, Math.min(ttl.toSeconds(), MAX_EXPIRES));
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);
        String scope = day + "/" + region + "/s3/aws4_request";
        Map<String, String> query = new TreeMap<>();
        extra.forEach((name, value) -> query.put(encode(name, true), encode(value, true)));
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Credential", encode(accessKey + "/" + scope, true));
        query.put("X-Amz-Date", amzDate);
        query.put("X-Amz-Expires", Long.toString(expires));
        query.put("X-Amz-SignedHeaders", "host");
        String canonicalQuery = query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        String path = pathPrefix + "/" + encode(key, false);
        String canonicalRequest = "GET\n" + path + "\n" + canonicalQuery + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + HEX.formatHex(sha256(canonicalRequest));
        byte[] signingKey = hmac(hmac(hmac(hmac(secretKey(), day), region), "s3"), "aws4_request");
        String signature = HEX.formatHex(hmac(signingKey, stringToSign));
        return URI.create(scheme + "://" + host + path + "?" + canonicalQuery + "&X-Amz-Signature=" + signature);
    }

    @Override
    public String toString() {
        return "S3Presigner[" + scheme + "://" + host + pathPrefix + ", region " + region + "]";
    }

    /** URI-encodes as SigV4 wants: unreserved characters as they are, {@code /} kept in paths, the rest %XX. */
    static String encode(String value, boolean encodeSlash) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                out.append(c);
            } else {
                out.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** {@code "AWS4" + secret}, the key of the first HMAC of the signing-key chain. */
    private byte[] secretKey() {
        byte[] prefix = "AWS4".getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[prefix.length + secret.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(secret, 0, key, prefix.length, secret.length);
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] sha256(String data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
