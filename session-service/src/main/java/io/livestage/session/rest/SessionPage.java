package io.livestage.session.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record SessionPage(List<SessionResponse> items,
        @Schema(description = "Pass as ?cursor= to get the next page; null on the last page") String nextCursor) {
}
