package io.livestage.deploycheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The validators the other tests rely on are the exact versions pinned in package.json, installed by `npm ci`. */
class ValidatorsInstalledTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"dclint, 3.1.0", "kubernetes-models, 5.1.0", "@kubernetes-models/keda, 2.0.0"})
    void pinnedAndInstalled(String name, String version) throws IOException {
        JsonNode pkg = JSON.readTree(DeployFiles.moduleDir().resolve("package.json").toFile());
        assertThat(pkg.path("devDependencies").path(name).asText()).as("exact pin in package.json").isEqualTo(version);

        Path installed = DeployFiles.moduleDir().resolve("node_modules").resolve(name).resolve("package.json");
        assertThat(installed).as("installed by npm ci").exists();
        assertThat(JSON.readTree(Files.readString(installed)).path("version").asText()).isEqualTo(version);
    }
}
