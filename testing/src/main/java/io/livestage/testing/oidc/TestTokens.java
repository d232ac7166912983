package io.livestage.testing.oidc;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * RS256 access tokens for tests, verified by services through quarkus-oidc with {@code quarkus.oidc.public-key} and
 * {@code quarkus.oidc.token.issuer} (see {@link OidcTestResource}) instead of a running identity provider.
 * <p>
 * The RSA key pair is generated once per JVM and never written anywhere but two system properties, which is how a
 * copy of this class in another classloader (the Quarkus application's) signs with the same key.
 */
public final class TestTokens {

    /** Issuer of every test token; {@code .invalid} can never resolve to a real host. */
    public static final String ISSUER = "https://test.livestage.invalid";
    /** JVM-wide publication of the public key, base64 X.509 SubjectPublicKeyInfo. */
    public static final String PUBLIC_KEY_PROPERTY = "livestage.test.oidc.public-key";
    /** JVM-wide publication of the private key, base64 PKCS#8; test-only, generated per JVM. */
    public static final String PRIVATE_KEY_PROPERTY = "livestage.test.oidc.private-key";

    private static final Duration LIFETIME = Duration.ofHours(1);
    /** Interned literal: the one monitor shared by copies of this class loaded by different classloaders. */
    private static final Object JVM_LOCK = "io.livestage.testing.oidc.TestTokens.lock".intern();

    private static volatile KeyPair keys;

    private TestTokens() {
    }

    /** The verification key for {@code quarkus.oidc.public-key}. */
    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(keys().getPublic().getEncoded());
    }

    /** The issuer for {@code quarkus.oidc.token.issuer}. */
    public static String issuer() {
        return ISSUER;
    }

    /** A valid token for one user whose display name is the subject. */
    public static String token(String subject) {
        return token(subject, subject, Map.of());
    }

    /**
     * A valid token with {@code iss, sub, preferred_username (= subject), name, iat, exp (+1 h), jti}; extra claims
     * (e.g. {@code groups}, {@code aud}) are added last and may override any of these.
     */
    public static String token(String subject, String name, Map<String, Object> extraClaims) {
        Instant now = Instant.now();
        return sign(claims(subject, name, now, now.plus(LIFETIME), extraClaims), keys().getPrivate());
    }

    /** A correctly signed token that expired an hour ago, far beyond any clock-skew allowance. */
    public static String expiredToken(String subject) {
        Instant issued = Instant.now().minus(LIFETIME.multipliedBy(2));
        return sign(claims(subject, subject, issued, issued.plus(LIFETIME), Map.of()), keys().getPrivate());
    }

    /** A token that is valid in every respect except that another key signed it: services must reject it. */
    public static String tokenSignedByOtherKey(String subject) {
        Instant now = Instant.now();
        return sign(claims(subject, subject, now, now.plus(LIFETIME), Map.of()), OtherKey.PAIR.getPrivate());
    }

    private static JwtClaims claims(String subject, String name, Instant issuedAt, Instant expiresAt,
            Map<String, Object> extraClaims) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(subject);
        // quarkus-oidc takes the principal name from preferred_username before sub.
        claims.setClaim("preferred_username", subject);
        claims.setClaim("name", name);
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        extraClaims.forEach(claims::setClaim);
        return claims;
    }

    private static String sign(JwtClaims claims, PrivateKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Could not sign a test token", e);
        }
    }

    private static KeyPair keys() {
        KeyPair current = keys;
        if (current != null) {
            return current;
        }
        synchronized (JVM_LOCK) {
            if (keys == null) {
                String publicKey = System.getProperty(PUBLIC_KEY_PROPERTY);
                String privateKey = System.getProperty(PRIVATE_KEY_PROPERTY);
                if (publicKey == null || privateKey == null) {
                    KeyPair generated = generate();
                    privateKey = Base64.getEncoder().encodeToString(generated.getPrivate().getEncoded());
                    publicKey = Base64.getEncoder().encodeToString(generated.getPublic().getEncoded());
                    System.setProperty(PRIVATE_KEY_PROPERTY, privateKey);
                    System.setProperty(PUBLIC_KEY_PROPERTY, publicKey);
                }
                keys = decode(publicKey, privateKey);
            }
            return keys;
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    private static KeyPair decode(String publicKey, String privateKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PublicKey decodedPublic = factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            PrivateKey decodedPrivate = factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKey)));
            return new KeyPair(decodedPublic, decodedPrivate);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Malformed test keys in " + PUBLIC_KEY_PROPERTY + "/"
                    + PRIVATE_KEY_PROPERTY, e);
        }
    }

    /** A second key pair, created only if a test asks for a wrongly signed token. */
    private static final class OtherKey {
        static final KeyPair PAIR = generate();
    }
}
