package io.livestage.recording.podcast.feed;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a podcast feed: RSS 2.0 with Apple's {@code itunes:} tags and the Podcasting 2.0 {@code podcast:} tags
 * (guid, locked, transcript, chapters), UTF-8, with the JDK's StAX writer (Rome's itunes module writes
 * {@code explicit} as yes/no and has no {@code podcast:} namespace). The output depends only on its input, so the same
 * channel and episodes always give the same bytes (and the same ETag).
 */
public final class FeedRenderer {
    public static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    public static final String PODCAST = "https://podcastindex.org/namespace/1.0";
    public static final String ATOM = "http://www.w3.org/2005/Atom";
    public static final String CONTENT_TYPE = "application/rss+xml; charset=utf-8";

    /** RFC 2822 dates in GMT with a two-digit day, as Apple shows them: {@code Wed, 05 Jun 2019 19:00:00 GMT}. */
    public static final DateTimeFormatter RFC_2822 = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();

    private final FeedLinks links;

    public FeedRenderer(FeedLinks links) {
        this.links = links;
    }

    /**
     * The feed of {@code channel} at {@code feedUrl} with {@code items} in the given order (newest first);
     * {@code lastBuildDate} (nullable) is when channel or episodes last changed.
     */
    public byte[] render(PodcastChannel channel, String feedUrl, Instant lastBuildDate, List<FeedItem> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048 + items.size() * 1400);
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("rss");
            xml.writeAttribute("version", "2.0");
            xml.writeNamespace("itunes", ITUNES);
            xml.writeNamespace("podcast", PODCAST);
            xml.writeNamespace("atom", ATOM);
            xml.writeStartElement("channel");
            channel(xml, channel, feedUrl, lastBuildDate);
            for (FeedItem item : items) {
                item(xml, item);
            }
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the feed of " + feedUrl, e);
        }
        return out.toByteArray();
    }

    private void channel(XMLStreamWriter xml, PodcastChannel c, String feedUrl, Instant lastBuildDate)
            throws XMLStreamException {
        text(xml, "title", c.title());
        cdata(xml, "description", c.description());
        text(xml, "link", links.site());
        text(xml, "language", c.language());
        if (c.copyright() != null) {
            text(xml, "copyright", c.copyright());
        }
        if (lastBuildDate != null) {
            text(xml, "lastBuildDate", RFC_2822.format(lastBuildDate));
        }
        text(xml, "generator", "livestage");
        xml.writeEmptyElement("atom", "link", ATOM);
        xml.writeAttribute("href", feedUrl);
        xml.writeAttribute("rel", "self");
        xml.writeAttribute("type", "application/rss+xml");
        itunes(xml, "author", c.author());
        if (c.imageUrl() != null) {
            xml.writeEmptyElement("itunes", "image", ITUNES);
            xml.writeAttribute("href", clean(c.imageUrl()));
        }
        if (c.subcategory() == null) {
            xml.writeEmptyElement("itunes", "category", ITUNES);
            xml.writeAttribute("text", c.category().text());
        } else {
            xml.writeStartElement("itunes", "category", ITUNES);
            xml.writeAttribute("text", c.category().text());
            xml.writeEmptyElement("itunes", "category", ITUNES);
            xml.writeAttribute("text", c.subcategory());
            xml.writeEndElement();
        }
        itunes(xml, "explicit", Boolean.toString(c.explicit()));
        itunes(xml, "type", c.type().text());
        podcast(xml, "guid", c.podcastGuid().toString());
        podcast(xml, "locked", "no");
    }

    private void item(XMLStreamWriter xml, FeedItem item) throws XMLStreamException {
        xml.writeStartElement("item");
        text(xml, "title", item.title());
        cdata(xml, "description", item.description());
        xml.writeStartElement("guid");
        xml.writeAttribute("isPermaLink", "false");
        xml.writeCharacters(item.episodeId().toString());
        xml.writeEndElement();
        if (item.publishedAt() != null) {
            text(xml, "pubDate", RFC_2822.format(item.publishedAt()));
        }
        xml.writeEmptyElement("enclosure");
        xml.writeAttribute("url", links.enclosure(item.episodeId()));
        xml.writeAttribute("length", Long.toString(item.mediaBytes()));
        xml.writeAttribute("type", "audio/mpeg");
        itunes(xml, "duration", Long.toString(seconds(item.durationMillis())));
        itunes(xml, "explicit", Boolean.toString(item.explicit()));
        if (item.season() != null) {
            itunes(xml, "season", item.season().toString());
        }
        if (item.episodeNumber() != null) {
            itunes(xml, "episode", item.episodeNumber().toString());
        }
        itunes(xml, "episodeType", item.episodeType() == null ? "full" : item.episodeType());
        xml.writeEmptyElement("podcast", "transcript", PODCAST);
        xml.writeAttribute("url", links.transcript(item.episodeId()));
        xml.writeAttribute("type", "text/vtt");
        xml.writeEmptyElement("podcast", "chapters", PODCAST);
        xml.writeAttribute("url", links.chapters(item.episodeId()));
        xml.writeAttribute("type", "application/json+chapters");
        xml.writeEndElement();
    }

    /** Whole seconds, rounded half up ({@code itunes:duration} in seconds, as Apple recommends). */
    static long seconds(long millis) {
        return Math.max(0, (millis + 500) / 1000);
    }

    private static void text(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        if (value != null) {
            xml.writeCharacters(clean(value));
        }
        xml.writeEndElement();
    }

    private static void itunes(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement("itunes", name, ITUNES);
        xml.writeCharacters(clean(value));
        xml.writeEndElement();
    }

    private static void podcast(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement("podcast", name, PODCAST);
        xml.writeCharacters(clean(value));
        xml.writeEndElement();
    }

    /** Text in CDATA sections; a {@code ]]>} in it is split over two sections. */
    private static void cdata(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        String text = clean(value);
        int from = 0;
        int end;
        while ((end = text.indexOf("]]>", from)) >= 0) {
            xml.writeCData(text.substring(from, end + 2));
            from = end + 2;
        }
        xml.writeCData(text.substring(from));
        xml.writeEndElement();
    }

    /**
     * {@code text} without what XML 1.0 cannot carry (control characters other than tab, LF and CR; U+FFFE, U+FFFF;
     * unpaired surrogates) and without leading and trailing spaces (Apple asks for none).
     */
    static String clean(String text) {
        StringBuilder kept = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean valid;
            if (Character.isHighSurrogate(ch)) {
                valid = i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
                if (valid) {
                    if (kept != null) {
                        kept.append(ch).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else if (Character.isLowSurrogate(ch)) {
                valid = false;
            } else {
                valid = ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch != 0xFFFE && ch != 0xFFFF);
            }
            if (!valid && kept == null) {
                kept = new StringBuilder(text.length()).append(text, 0, i);
            } else if (valid && kept != null) {
                kept.append(ch);
            }
        }
        return (kept == null ? text : kept.toString()).strip();
    }
}
