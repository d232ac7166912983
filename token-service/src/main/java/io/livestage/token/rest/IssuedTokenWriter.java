package io.livestage.token.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.livestage.token.livekit.PlainJson;
import io.livestage.token.service.IssuedToken;

/**
 * The token endpoint's answer written straight into bytes: the same JSON as the application's Jackson
 * {@link ObjectMapper} writes for {@link IssuedToken} (fields in record order, {@code grants} raw, {@code expiresAt} as
 * ISO-8601), without Jackson's per-response serializer walk (about a tenth of a token request's CPU). Any value that
 * JSON would escape (quotes, backslashes, control characters, surrogates) goes to the ObjectMapper instead, as does a
 * token whose expiry has a fraction of a second; {@code IssuedTokenWriterTest} compares the two.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class IssuedTokenWriter implements ServerMessageBodyWriter<IssuedToken> {
    private final ObjectMapper mapper;

    public IssuedTokenWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo target,
            MediaType mediaType) {
        return type == IssuedToken.class;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == IssuedToken.class;
    }

    @Override
    public void writeResponse(IssuedToken token, Type genericType, ServerRequestContext context) throws IOException {
        context.serverResponse().end(bytes(token));
    }

    @Override
    public void writeTo(IssuedToken token, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        out.write(bytes(token));
    }

    byte[] bytes(IssuedToken t) throws IOException {
        if (t.role() == null || t.expiresAt() == null || t.expiresAt().getNano() != 0 || t.grants() == null
                || !PlainJson.plain(t.token()) || !PlainJson.plain(t.url()) || !PlainJson.plain(t.room()) || !PlainJson.plain(t.identity())
                || (t.name() != null && !PlainJson.plain(t.name()))) {
            return mapper.writeValueAsBytes(t);
        }
        StringBuilder json = new StringBuilder(t.token().length() + t.grants().length() + 256);
        json.append("{\"token\":\"").append(t.token())
                .append("\",\"url\":\"").append(t.url())
                .append("\",\"room\":\"").append(t.room())
                .append("\",\"identity\":\"").append(t.identity())
                .append("\",\"name\":").append(t.name() == null ? "null" : "\"" + t.name() + "\"")
                .append(",\"role\":\"").append(t.role().name())
                .append("\",\"grants\":").append(t.grants())
                .append(",\"expiresAt\":\"").append(t.expiresAt()).append("\"}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

}
