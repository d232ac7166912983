package io.livestage.testing.livekit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HS256 JWTs the way LiveKit signs and checks them (protocol auth/accesstoken.go, auth/verifier.go): header
 * {@code {"alg":"HS256","typ":"JWT"}}, only HS256 accepted, {@code exp} required, one minute of leeway on {@code exp}
 * and {@code nbf}, the secret looked up by {@code iss}.
 */
final class Hs256Jwt {

    static final long LEEWAY_SECONDS = 60;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    private static final String HEADER = B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private Hs256Jwt() {
    }

    static String sign(ObjectNode claims, String secret) {
        String signingInput = HEADER + "." + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64URL.encodeToString(hmac(signingInput, secret));
    }

    /** Why a token was refused, in the middleware's three cases. */
    enum Failure {
        /** ParseAPIToken failed: "invalid authorization token". */
        MALFORMED,
        /** No secret for the {@code iss} key: "invalid API key". */
        UNKNOWN_KEY,
        /** Verify failed: "invalid authorization token: <reason>". */
        INVALID
    }

    static final class InvalidToken extends Exception {
        final Failure kind;

        InvalidToken(Failure kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    /** Verifies like LiveKit's APIKeyAuthMiddleware + APIKeyTokenVerifier and returns the claims. */
    static TokenClaims verify(String token, Function<String, String> secretForKey, Instant now) throws InvalidToken {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidToken(Failure.MALFORMED,
                    "token is malformed: token contains an invalid number of segments");
        }
        JsonNode header = decodeJson(parts[0], "could not JSON decode header");
        JsonNode claims = decodeJson(parts[1], "could not JSON decode claim");
        if (!claims.isObject()) {
            throw new InvalidToken(Failure.MALFORMED, "token is malformed: could not JSON decode claim");
        }
        String apiKey = claims.path("iss").asText("");
        String secret = secretForKey.apply(apiKey);
        if (secret == null || secret.isEmpty()) {
            throw new InvalidToken(Failure.UNKNOWN_KEY, "invalid API key");
        }
        String alg = header.path("alg").asText("");
        if (!"HS256".equals(alg)) {
            throw new InvalidToken(Failure.INVALID, "token is unverifiable: signing method " + alg + " is invalid");
        }
        byte[] signature;
        try {
            signature = B64URL_DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken(Failure.INVALID, "token is malformed: could not base64 decode signature");
        }
        if (!MessageDigest.isEqual(signature, hmac(parts[0] + "." + parts[1], secret))) {
            throw new InvalidToken(Failure.INVALID, "token signature is invalid: signature is invalid");
        }
        long nowSeconds = now.getEpochSecond();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            throw new InvalidToken(Failure.INVALID,
                    "token has invalid claims: token is missing required claim: exp claim is required");
        }
        if (nowSeconds - LEEWAY_SECONDS >= exp.asDouble()) {
            throw new InvalidToken(Failure.INVALID, "token has invalid claims: token is expired");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && nbf.isNumber() && nowSeconds + LEEWAY_SECONDS < nbf.asDouble()) {
            throw new InvalidToken(Failure.INVALID, "token has invalid claims: token is not valid yet");
        }
        String identity = claims.path("sub").asText("");
        if (identity.isEmpty()) {
            identity = claims.path("jti").asText("");
        }
        return new TokenClaims(apiKey, identity, claims.deepCopy());
    }

    private static JsonNode decodeJson(String part, String error) throws InvalidToken {
        try {
            return LiveKitJson.MAPPER.readTree(B64URL_DECODER.decode(part));
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidToken(Failure.MALFORMED, "token is malformed: " + error);
        }
    }

    static byte[] hmac(String input, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode decodeClaimsUnverified(String token) {
        String[] parts = token.split("\\.");
        try {
            return LiveKitJson.MAPPER.readTree(B64URL_DECODER.decode(parts[1]));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWT: " + token, e);
        }
    }
}
