package io.livestage.recording.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.podcast.feed.ApplePodcastCategory;
import io.livestage.recording.podcast.feed.ChannelType;
import io.livestage.recording.podcast.feed.FeedLinks;
import io.livestage.recording.podcast.feed.PodcastChannel;
import io.livestage.recording.podcast.feed.PodcastGuid;
import io.livestage.recording.repository.ChannelRepository;

/**
 * Podcast profiles: a host reads and writes its own channel (the defaults until it saves one) and creates, reads and
 * writes its spaces (named shows with their own feed); only a space's owner sees or changes it. Every field is
 * checked as Apple checks a feed (ISO 639 language, Apple's categories, byte limits, JPEG/PNG artwork).
 */
@ApplicationScoped
public class ChannelService {
    /** A space slug: 3 to 64 lower-case letters, digits and inner hyphens. */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}[a-z0-9]");
    private static final Pattern LANGUAGE = Pattern.compile("([a-z]{2})(?:-([a-z]{2}))?");
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());
    private static final Set<String> REGIONS = Arrays.stream(Locale.getISOCountries())
            .map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    private static final int TEXT_MAX = 255;
    private static final int DESCRIPTION_MAX_BYTES = 4000;
    private static final int URL_MAX = 1000;

    private final ChannelRepository channels;
    private final FeedLinks links;

    public ChannelService(ChannelRepository channels, RecordingConfig config) {
        this.channels = channels;
        this.links = new FeedLinks(config.publicUrl());
    }

    public FeedLinks links() {
        return links;
    }

    /** The host's channel: the saved one, or the defaults. */
    public Uni<PodcastChannel> hostChannel(String hostId) {
        return channels.host(hostId).map(saved -> saved != null ? saved : defaults(hostId));
    }

    /** The defaults of a host who has not saved a profile; its guid is that of its feed URL. */
    public PodcastChannel defaults(String hostId) {
        return PodcastChannel.defaults(hostId, null, PodcastGuid.of(links.hostFeed(hostId)));
    }

    /** Saves the host's channel (everything {@code input} leaves out takes its default). */
    public Uni<PodcastChannel> saveHostChannel(String hostId, ChannelInput input) {
        PodcastChannel channel = validate(hostId, null, input);
        return channels.saveHost(channel, Instant.now());
    }

    /** Creates a space owned by {@code hostId}; 409 naming {@code slug} when the slug is taken. */
    public Uni<PodcastChannel> createSpace(String hostId, String slug, ChannelInput input) {
        if (slug == null) {
            throw ProblemException.invalid("slug", "A space needs a slug: 3 to 64 lower-case letters, digits and "
                    + "hyphens, e.g. friday-talks");
        }
        if (!SLUG.matcher(slug).matches()) {
            throw ProblemException.invalid("slug", "A slug has 3 to 64 lower-case letters, digits and inner hyphens,"
                    + " e.g. friday-talks");
        }
        PodcastChannel channel = validate(hostId, slug, input);
        return channels.createSpace(channel, Instant.now()).map(created -> {
            if (created == null) {
                throw new ProblemException(ProblemType.ILLEGAL_STATE, "The space " + slug + " already exists",
                        "slug");
            }
            return created;
        });
    }

    /** The space, for its owner: 404 when unknown, 403 for anyone else. */
    public Uni<PodcastChannel> space(String caller, String slug) {
        if (!SLUG.matcher(slug).matches()) {
            throw ProblemException.notFound("space " + slug);
        }
        return channels.space(slug).map(space -> {
            if (space == null) {
                throw ProblemException.notFound("space " + slug);
            }
            if (!space.hostId().equals(caller)) {
                throw ProblemException.forbidden("only the owner of the space " + slug + " sees and changes it");
            }
            return space;
        });
    }

    /** Replaces the space's profile (its owner only; the slug, owner and podcast guid stay). */
    public Uni<PodcastChannel> updateSpace(String caller, String slug, ChannelInput input) {
        return space(caller, slug).chain(space -> {
            PodcastChannel channel = validate(space.hostId(), slug, input);
            return channels.updateSpace(channel, Instant.now());
        }).map(updated -> {
            if (updated == null) {
                throw ProblemException.notFound("space " + slug);
            }
            return updated;
        });
    }

    /** {@code input} checked field by field over the defaults of the host or space; throws naming the first bad one. */
    PodcastChannel validate(String hostId, String space, ChannelInput input) {
        if (input == null) {
            throw ProblemException.invalid("body", "Send the podcast profile as a JSON object ({} for the defaults)");
        }
        UUID guid = PodcastGuid.of(links.feed(hostId, space));
        PodcastChannel d = PodcastChannel.defaults(hostId, space, guid);
        ApplePodcastCategory category = d.category();
        if (input.category() != null) {
            category = ApplePodcastCategory.parse(input.category().strip());
            if (category == null) {
                throw ProblemException.invalid("category", "Not one of Apple's podcast categories: "
                        + Arrays.stream(ApplePodcastCategory.values()).map(ApplePodcastCategory::text)
                                .collect(Collectors.joining(", ")));
            }
        }
        String subcategory = null;
        if (input.subcategory() != null && !input.subcategory().isBlank()) {
            subcategory = category.subcategory(input.subcategory().strip());
            if (subcategory == null) {
                throw ProblemException.invalid("subcategory", category.subcategories().isEmpty()
                        ? category.text() + " has no subcategories"
                        : "Not a subcategory of " + category.text() + ": " + String.join(", ",
                                category.subcategories()));
            }
        }
        ChannelType type = d.type();
        if (input.type() != null) {
            type = ChannelType.parse(input.type().strip());
            if (type == null) {
                throw ProblemException.invalid("type", "The type is episodic or serial");
            }
        }
        return new PodcastChannel(hostId, space, guid, text("title", input.title(), d.title()),
                description(input.description(), d.description()), image(input.imageUrl()),
                language(input.language()), category, subcategory,
                input.explicit() != null ? input.explicit() : d.explicit(),
                text("author", input.author(), d.author()), optional("copyright", input.copyright()), type, null,
                true);
    }

    private static String text(String field, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        String text = value.strip();
        if (text.isEmpty()) {
            throw ProblemException.invalid(field, "The " + field + " must not be blank (leave it out for the default)");
        }
        if (text.length() > TEXT_MAX) {
            throw ProblemException.invalid(field, "The " + field + " has at most " + TEXT_MAX + " characters");
        }
        return text;
    }

    private static String optional(String field, String value) {
        return value == null || value.isBlank() ? null : text(field, value, null);
    }

    private static String description(String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        String text = value.strip();
        if (text.isEmpty()) {
            throw ProblemException.invalid("description", "The description must not be blank (leave it out for the "
                    + "default)");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > DESCRIPTION_MAX_BYTES) {
            throw ProblemException.invalid("description", "The description has at most " + DESCRIPTION_MAX_BYTES
                    + " bytes of UTF-8 (Apple's limit)");
        }
        return text;
    }

    private static String language(String value) {
        if (value == null) {
            return PodcastChannel.DEFAULT_LANGUAGE;
        }
        String code = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        Matcher m = LANGUAGE.matcher(code);
        if (!m.matches() || !LANGUAGES.contains(m.group(1)) || m.group(2) != null && !REGIONS.contains(m.group(2))) {
            throw ProblemException.invalid("language", "An ISO 639-1 language code with an optional ISO 3166 region,"
                    + " e.g. en, en-us, pt-br");
        }
        return code;
    }

    private static String image(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String url = value.strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("imageUrl", "Not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
        if (url.length() > URL_MAX || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw ProblemException.invalid("imageUrl", "An absolute http(s) URL of at most " + URL_MAX
                    + " characters");
        }
        if (!(path.endsWith(".jpg") || path.endsWith(".jpeg") || path.endsWith(".png"))) {
            throw ProblemException.invalid("imageUrl", "Apple takes JPEG or PNG artwork whose URL ends with .jpg,"
                    + " .jpeg or .png");
        }
        return url;
    }
}
