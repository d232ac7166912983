package io.livestage.recording.rest;

import java.net.URI;
import java.nio.file.Path;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.PathPart;

import io.livestage.recording.storage.FileServing;

/**
 * The one way this service answers for a stored file (a recording's output, an episode's enclosure): the range and
 * conditional rules of {@link FileServing} turned into a response whose body is sent with sendfile from the offset,
 * or a redirect to a presigned URL (S3). Resources return a plain JAX-RS {@link Response}: declared as
 * {@code RestResponse<PathPart>}, Quarkus REST would pick the JSON writer for the body (ADR 0013).
 */
public final class FileResponses {
    private FileResponses() {
    }

    /** The request's range and conditional headers, for a GET or (with {@code head}) a HEAD. */
    public static FileServing.Request request(HttpHeaders headers, boolean head) {
        return new FileServing.Request(head, headers.getHeaderString("Range"), headers.getHeaderString("If-Range"),
                headers.getHeaderString("If-None-Match"), headers.getHeaderString("If-Modified-Since"));
    }

    /**
     * The answer for {@code file} ({@code stat} its size and time): 200, 206, 304 or 416 with their headers, the
     * body as a part of the file; {@code disposition} (or null) goes on successful answers.
     */
    public static Response file(FileServing.Request request, FileServing.Stat stat, Path file, String contentType,
            String cacheControl, String disposition) {
        FileServing.Answer answer = FileServing.answer(request, stat, contentType);
        Response.ResponseBuilder response = Response.status(answer.status());
        // with a body, Quarkus REST sets Content-Length from the PathPart (the same number)
        answer.headers().forEach((name, value) -> {
            if ("Content-Type".equals(name)) {
                response.type(value);
            } else if (!answer.body() || !"Content-Length".equals(name)) {
                response.header(name, value);
            }
        });
        response.header("Cache-Control", cacheControl);
        if (disposition != null && answer.status() < 300) {
            response.header("Content-Disposition", disposition);
        }
        if (answer.body()) {
            response.entity(new PathPart(file, answer.offset(), answer.length()));
        }
        return response.build();
    }

    /** S3 storage: a 302 to the presigned URL, never cached (it expires). */
    public static Response redirect(URI presigned) {
        return Response.status(Response.Status.FOUND).location(presigned).header("Cache-Control", "no-store").build();
    }
}
