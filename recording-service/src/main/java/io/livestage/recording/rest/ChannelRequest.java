package io.livestage.recording.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.recording.service.ChannelInput;

/** A podcast profile as written with PUT: it replaces the whole profile; a field left out takes its default. */
@Schema(name = "PodcastChannelUpdate")
public record ChannelRequest(
        @Schema(description = "At most 255 characters; default \"<host>'s livestage podcast\" (a space: its slug)")
        String title,
        @Schema(description = "At most 4000 bytes of UTF-8; HTML allowed (sent in CDATA)") String description,
        @Schema(description = "The artwork: an absolute http(s) URL ending with .jpg, .jpeg or .png (Apple wants "
                + "1400 to 3000 px square); default none") String imageUrl,
        @Schema(description = "ISO 639-1 with an optional region, e.g. en-us (the default)") String language,
        @Schema(description = "One of Apple's categories, e.g. Technology (the default), Health & Fitness")
        String category,
        @Schema(description = "A subcategory of the category in Apple's list, e.g. Tech News under News")
        String subcategory,
        @Schema(description = "Default false") Boolean explicit,
        @Schema(description = "At most 255 characters; default the host id") String author,
        @Schema(description = "At most 255 characters; default none") String copyright,
        @Schema(description = "episodic (the default: newest first) or serial") String type) {

    ChannelInput input() {
        return new ChannelInput(title, description, imageUrl, language, category, subcategory, explicit, author,
                copyright, type);
    }
}
