package io.livestage.deploycheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml against the Compose specification's JSON schema and the rules of the committed .dclintrc, with
 * npm dclint 3.1.0, offline. dclint runs from the repository root so it picks up .dclintrc.
 */
class ComposeSchemaTest {

    @Test
    void composeFileIsValid() {
        DeployFiles.require(".dclintrc");
        NodeTool.Result result = NodeTool.runBin(DeployFiles.root(), "dclint", "--color=false",
                DeployFiles.require(ComposeFile.PATH).toString());
        assertThat(result.exitCode()).as("dclint docker-compose.yml:%n%s", result.output()).isZero();
        assertThat(result.output()).doesNotContain("error");
    }

    /** The validator itself: a key the Compose schema does not know fails, so a pass above means something. */
    @Test
    void schemaErrorsFail(@TempDir Path dir) throws IOException {
        String compose = DeployFiles.read(ComposeFile.PATH);
        assertThat(compose).contains("\n    image: redis:");
        Path broken = dir.resolve("docker-compose.yml");
        Files.writeString(broken, compose.replace("\n    image: redis:", "\n    imagee: redis:"));

        NodeTool.Result result = NodeTool.runBin(DeployFiles.root(), "dclint", "--color=false", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("invalid-schema").contains("/services/redis");
    }
}
