package io.livestage.deploycheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.livestage.devstack.Catalog;
import io.livestage.devstack.Catalog.ServiceSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root pom's `images` profile (Jib, no Docker engine) builds the images docker-compose.yml runs: one per service of
 * the Catalog, non-root, with the container JVM settings, named as compose expects.
 */
class ImagesProfileTest {

    private static Element root;
    private static Element jib;

    @BeforeAll
    static void parse() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document pom = factory.newDocumentBuilder().parse(DeployFiles.require("pom.xml").toFile());
        root = pom.getDocumentElement();
        Element images = profile("images");
        jib = null;
        NodeList plugins = images.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                jib = plugin;
            }
        }
        assertThat(jib).as("jib-maven-plugin in the images profile").isNotNull();
    }

    @Test
    void buildsTarballsWithoutADockerEngine() {
        assertThat(text(jib, "goal")).isEqualTo("buildTar");
        assertThat(text(jib, "phase")).isEqualTo("package");
        assertThat(text(jib, "tar")).isEqualTo("${project.build.directory}/image/${project.artifactId}.tar");
        assertThat(text(jib, "skip")).isEqualTo("${images.skip}");
        // never on a default build: the plugin is only in the profile, and skipped outside application modules
        assertThat(property(root, "images.skip")).isEqualTo("true");
        Element app = profile("quarkus-app");
        assertThat(text(app, "exists")).isEqualTo("${basedir}/src/main/resources/application.properties");
        assertThat(text(app, "images.skip")).isEqualTo("false");
    }

    @Test
    void oneImagePerCatalogServiceAndNoOther() throws IOException {
        List<String> catalogue = Catalog.SERVICES.stream().map(ServiceSpec::module).sorted().toList();
        List<String> withApplicationProperties;
        try (Stream<Path> modules = Files.list(DeployFiles.root())) {
            withApplicationProperties = modules
                    .filter(m -> Files.isRegularFile(m.resolve("pom.xml")))
                    .filter(m -> Files.isRegularFile(m.resolve("src/main/resources/application.properties")))
                    .map(m -> m.getFileName().toString()).sorted().toList();
        }
        assertThat(withApplicationProperties).isEqualTo(catalogue);
    }

    @Test
    void namedAsComposeExpects() {
        assertThat(text(jib, "to")).isEqualTo("${images.repository}/${project.artifactId}:${images.tag}");
        assertThat(property(root, "images.repository")).isEqualTo("livestage");
        assertThat(ComposeFile.load().text()).contains("${LIVESTAGE_IMAGE_REPOSITORY:-livestage}/");
    }

    @Test
    void nonRootWithContainerJvmSettings() {
        String user = text(jib, "user");
        assertThat(user).matches("\\d+:\\d+");
        assertThat(user.substring(0, user.indexOf(':'))).isNotEqualTo("0");
        assertThat(text(jib, "JDK_JAVA_OPTIONS")).isEqualTo("${images.jvm-options}");
        assertThat(property(root, "images.jvm-options"))
                .contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError")
                .doesNotContain("-Xmx");
        assertThat(text(jib, "entrypoint")).contains("java").contains("/deployments/quarkus-run.jar");
        assertThat(text(jib, "paths")).isEqualTo("${project.build.directory}/quarkus-app /deployments");
    }

    private static Element profile(String id) {
        NodeList profiles = root.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (id.equals(text(profile, "id"))) {
                return profile;
            }
        }
        throw new AssertionError("root pom has no profile " + id);
    }

    private static String property(Element project, String name) {
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("properties")) {
                return text(e, name);
            }
        }
        throw new AssertionError("no <properties>");
    }

    /** The text of the first descendant element named {@code tag} (whitespace collapsed), or null. */
    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim().replaceAll("\\s+", " ");
    }
}
