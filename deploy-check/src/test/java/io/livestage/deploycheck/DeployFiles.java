package io.livestage.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real deployment files, read from the repository root (system property {@code livestage.root}, set by the pom). */
public final class DeployFiles {

    private DeployFiles() {
    }

    /** The repository root: the directory with the root pom.xml. */
    public static Path root() {
        String configured = System.getProperty("livestage.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("deploy-check"))) {
            throw new IllegalStateException("Not the livestage repository root: " + root);
        }
        return root;
    }

    /** A path relative to the repository root, which must exist (a missing deployment file fails the test, never skips it). */
    public static Path require(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new AssertionError("Missing " + relative + " (expected at the repository root: " + path + ")");
        }
        return path;
    }

    /** This module's directory (deploy-check/), where package.json and node_modules are. */
    public static Path moduleDir() {
        return root().resolve("deploy-check");
    }

    public static String read(String relative) {
        try {
            return Files.readString(require(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
