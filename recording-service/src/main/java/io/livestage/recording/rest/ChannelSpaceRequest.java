package io.livestage.recording.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.recording.service.ChannelInput;

/** A new space: its slug (its feed's name, never changes) and its podcast profile (fields as in a PUT). */
@Schema(name = "PodcastSpaceCreate")
public record ChannelSpaceRequest(
        @Schema(description = "3 to 64 lower-case letters, digits and inner hyphens; unique", required = true)
        String slug,
        String title,
        String description,
        String imageUrl,
        String language,
        String category,
        String subcategory,
        Boolean explicit,
        String author,
        String copyright,
        String type) {

    ChannelInput input() {
        return new ChannelInput(title, description, imageUrl, language, category, subcategory, explicit, author,
                copyright, type);
    }
}
