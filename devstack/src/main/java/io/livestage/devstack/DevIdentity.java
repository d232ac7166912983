package io.livestage.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The local stand-in for Keycloak (until it joins the stack): an RSA-2048 key pair kept in {@code .devstack/keys}
 * (so tokens survive restarts) that signs RS256 JWTs with issuer {@value #ISSUER}. Services verify them with
 * {@code QUARKUS_OIDC_PUBLIC_KEY} + {@code QUARKUS_OIDC_TOKEN_ISSUER} (ADR 0001).
 */
public final class DevIdentity {

    public static final String ISSUER = "livestage-devstack";
    public static final Duration DEMO_TOKEN_TTL = Duration.ofHours(12);

    /** Demo users (the same people, with the same realm roles, as the Keycloak realm has). */
    public record DemoUser(String username, String name, int xp, List<String> roles) {
    }

    public static final List<DemoUser> DEMO_USERS = List.of(
            new DemoUser("alice", "Alice Host", 100, List.of("host")),
            new DemoUser("bob", "Bob Viewer", 40, List.of("viewer")),
            new DemoUser("carol", "Carol Viewer", 10, List.of("viewer")),
            new DemoUser("oscar", "Oscar Operator", 0, List.of("admin")));

    static final String PRIVATE_KEY_FILE = "private-key.pem";
    static final String PUBLIC_KEY_FILE = "public-key.pem";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private DevIdentity(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** Loads the key pair from {@code keysDir}, generating (and saving) it the first time. */
    public static DevIdentity loadOrCreate(Path keysDir) {
        Path privateFile = keysDir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = keysDir.resolve(PUBLIC_KEY_FILE);
        try {
            if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
                KeyFactory kf = KeyFactory.getInstance("RSA");
                PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(privateFile))));
                PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(pemBody(Files.readString(publicFile))));
                return new DevIdentity(priv, pub);
            }
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair pair = gen.generateKeyPair();
            Files.createDirectories(keysDir);
            writePrivate(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return new DevIdentity(pair.getPrivate(), pair.getPublic());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the dev identity keys in " + keysDir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new DevStackException("The dev identity keys in " + keysDir + " are unreadable: " + e.getMessage(),
                    "Delete them to get a new pair (existing tokens become invalid): rm -rf " + keysDir, e);
        }
    }

    /** Base64 of the X.509 SubjectPublicKeyInfo: the value of {@code QUARKUS_OIDC_PUBLIC_KEY}. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** An RS256 token for {@code username}; demo users get their name and xp, anyone else name = username, xp 0. */
    public String mint(String username, Duration ttl) {
        DemoUser user = DEMO_USERS.stream().filter(u -> u.username().equals(username)).findFirst()
                .orElse(new DemoUser(username, capitalize(username), 0, List.of()));
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(user.username());
        claims.setStringClaim("preferred_username", user.username());
        claims.setStringClaim("name", user.name());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
        claims.setClaim("xp", user.xp());
        // where Keycloak puts realm roles (the services read roles from realm_access/roles)
        claims.setClaim("realm_access", java.util.Map.of("roles", user.roles()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(privateKey);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a dev token", e);
        }
    }

    /** Mints a fresh token for every demo user into {@code tokensDir/<user>.jwt}; returns user -> token. */
    public Map<String, String> writeDemoTokens(Path tokensDir, Duration ttl) {
        Map<String, String> tokens = new LinkedHashMap<>();
        try {
            Files.createDirectories(tokensDir);
            for (DemoUser u : DEMO_USERS) {
                String token = mint(u.username(), ttl);
                Files.writeString(tokensDir.resolve(u.username() + ".jwt"), token + "\n");
                tokens.put(u.username(), token);
            }
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write tokens to " + tokensDir, e);
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] pemBody(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, content);
    }
}
