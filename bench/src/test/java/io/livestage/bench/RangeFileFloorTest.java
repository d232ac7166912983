package io.livestage.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RangeFileFloorTest {
    @TempDir
    Path folder;

    @Test
    void servesTheWholeFileOneRangeAnd416LikeTheFileEndpoint() throws Exception {
        byte[] bytes = new byte[5000];
        new Random(1).nextBytes(bytes);
        Files.write(folder.resolve("a.mp3"), bytes);
        HttpClient client = HttpClient.newHttpClient();
        try (RangeFileFloor floor = RangeFileFloor.start(folder, 1)) {
            URI uri = URI.create("http://127.0.0.1:" + floor.port() + "/a.mp3");
            HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(bytes);
            assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/mpeg");

            HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=100-199")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/5000");
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));

            HttpResponse<byte[]> suffix = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=-10")
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, 4990, 5000));

            for (String range : new String[] {"bytes=5000-", "bytes=9-3", "bytes=x"}) {
                HttpResponse<byte[]> refused = client.send(HttpRequest.newBuilder(uri).header("Range", range)
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(refused.statusCode()).as(range).isEqualTo(416);
                assertThat(refused.headers().firstValue("Content-Range")).hasValue("bytes */5000");
            }

            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue("5000");
            assertThat(head.body()).isEmpty();

            String etag = whole.headers().firstValue("ETag").orElseThrow();
            assertThat(client.send(HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(304);
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + floor.port()
                    + "/../a.mp3")).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isIn(400, 404);
        }
    }
}
