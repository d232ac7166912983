package io.livestage.recording.podcast.feed;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

class FeedRendererTest {
    static final FeedLinks LINKS = new FeedLinks("https://live.example/");
    static final String FEED_URL = LINKS.hostFeed("host-1");
    static final UUID EP1 = UUID.fromString("11111111-2222-4333-8444-555555555555");
    static final UUID EP2 = UUID.fromString("66666666-7777-4888-9999-000000000000");

    static PodcastChannel channel() {
        return new PodcastChannel("host-1", null, PodcastGuid.of(FEED_URL), "Tom & Jerry <live>",
                "About \"us\" & <b>them</b>", "https://img.example/cover.png", "en-us", ApplePodcastCategory.NEWS,
                "Tech News", false, "Tom & Jerry", "© 2026 Tom", ChannelType.EPISODIC, Instant.EPOCH, true);
    }

    static List<FeedItem> items() {
        return List.of(
                new FeedItem(EP2, "Second <one> & more", "Has ]]> inside and <p>html</p>", true, 2, 7, "bonus",
                        4_321_000L, 3_661_499L, Instant.parse("2026-12-05T09:03:07Z")),
                new FeedItem(EP1, "First\u0001 episode", "Plain text\u0000", false, null, null, "full", 1_000L,
                        59_500L, Instant.parse("2019-06-05T19:00:00Z")));
    }

    static byte[] render() {
        return new FeedRenderer(LINKS).render(channel(), FEED_URL, Instant.parse("2026-12-05T10:00:00Z"), items());
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static List<Element> children(Element parent, String ns, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(e.getLocalName())
                    && (ns == null ? e.getNamespaceURI() == null : ns.equals(e.getNamespaceURI()))) {
                found.add(e);
            }
        }
        return found;
    }

    private static Element child(Element parent, String ns, String name) {
        List<Element> found = children(parent, ns, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static String text(Element parent, String ns, String name) {
        return child(parent, ns, name).getTextContent();
    }

    @Test
    void theChannelHasAppleRequiredAndRecommendedTagsAndThePodcastingTwoTags() throws Exception {
        Document doc = parse(render());
        Element rss = doc.getDocumentElement();
        assertThat(rss.getTagName()).isEqualTo("rss");
        assertThat(rss.getAttribute("version")).isEqualTo("2.0");
        assertThat(rss.getAttribute("xmlns:itunes")).isEqualTo("http://www.itunes.com/dtds/podcast-1.0.dtd");
        assertThat(rss.getAttribute("xmlns:podcast")).isEqualTo("https://podcastindex.org/namespace/1.0");
        Element channel = child(rss, null, "channel");

        assertThat(text(channel, null, "title")).isEqualTo("Tom & Jerry <live>");
        assertThat(text(channel, null, "description")).isEqualTo("About \"us\" & <b>them</b>");
        assertThat(text(channel, null, "link")).isEqualTo("https://live.example/");
        assertThat(text(channel, null, "language")).isEqualTo("en-us");
        assertThat(text(channel, null, "copyright")).isEqualTo("© 2026 Tom");
        assertThat(text(channel, null, "lastBuildDate")).isEqualTo("Sat, 05 Dec 2026 10:00:00 GMT");
        assertThat(child(channel, FeedRenderer.ITUNES, "image").getAttribute("href"))
                .isEqualTo("https://img.example/cover.png");
        Element category = child(channel, FeedRenderer.ITUNES, "category");
        assertThat(category.getAttribute("text")).isEqualTo("News");
        assertThat(child(category, FeedRenderer.ITUNES, "category").getAttribute("text")).isEqualTo("Tech News");
        assertThat(text(channel, FeedRenderer.ITUNES, "explicit")).isEqualTo("false");
        assertThat(text(channel, FeedRenderer.ITUNES, "author")).isEqualTo("Tom & Jerry");
        assertThat(text(channel, FeedRenderer.ITUNES, "type")).isEqualTo("episodic");
        assertThat(text(channel, FeedRenderer.PODCAST, "guid")).isEqualTo(PodcastGuid.of(FEED_URL).toString());
        assertThat(text(channel, FeedRenderer.PODCAST, "locked")).isEqualTo("no");
        Element self = child(channel, FeedRenderer.ATOM, "link");
        assertThat(self.getAttribute("rel")).isEqualTo("self");
        assertThat(self.getAttribute("href")).isEqualTo("https://live.example/podcast/feeds/hosts/host-1.xml");
        assertThat(self.getAttribute("type")).isEqualTo("application/rss+xml");
    }

    @Test
    void itemsCarryEnclosureGuidDatesDurationAndTheirPodcastingTwoLinksInTheGivenOrder() throws Exception {
        Element channel = child(parse(render()).getDocumentElement(), null, "channel");
        List<Element> items = children(channel, null, "item");
        assertThat(items).hasSize(2);

        Element second = items.get(0);
        assertThat(text(second, null, "title")).isEqualTo("Second <one> & more");
        assertThat(text(second, null, "description")).isEqualTo("Has ]]> inside and <p>html</p>");
        Element guid = child(second, null, "guid");
        assertThat(guid.getTextContent()).isEqualTo(EP2.toString());
        assertThat(guid.getAttribute("isPermaLink")).isEqualTo("false");
        assertThat(text(second, null, "pubDate")).isEqualTo("Sat, 05 Dec 2026 09:03:07 GMT");
        Element enclosure = child(second, null, "enclosure");
        assertThat(enclosure.getAttribute("url")).isEqualTo("https://live.example/podcast/episodes/" + EP2 + ".mp3");
        assertThat(enclosure.getAttribute("length")).isEqualTo("4321000");
        assertThat(enclosure.getAttribute("type")).isEqualTo("audio/mpeg");
        assertThat(text(second, FeedRenderer.ITUNES, "duration")).isEqualTo("3661");
        assertThat(text(second, FeedRenderer.ITUNES, "explicit")).isEqualTo("true");
        assertThat(text(second, FeedRenderer.ITUNES, "season")).isEqualTo("2");
        assertThat(text(second, FeedRenderer.ITUNES, "episode")).isEqualTo("7");
        assertThat(text(second, FeedRenderer.ITUNES, "episodeType")).isEqualTo("bonus");
        Element transcript = child(second, FeedRenderer.PODCAST, "transcript");
        assertThat(transcript.getAttribute("url"))
                .isEqualTo("https://live.example/podcast/episodes/" + EP2 + "/transcript.vtt");
        assertThat(transcript.getAttribute("type")).isEqualTo("text/vtt");
        Element chapters = child(second, FeedRenderer.PODCAST, "chapters");
        assertThat(chapters.getAttribute("url"))
                .isEqualTo("https://live.example/podcast/episodes/" + EP2 + "/chapters.json");
        assertThat(chapters.getAttribute("type")).isEqualTo("application/json+chapters");

        Element first = items.get(1);
        assertThat(text(first, null, "title")).as("control characters are dropped").isEqualTo("First episode");
        assertThat(text(first, null, "description")).isEqualTo("Plain text");
        assertThat(text(first, null, "pubDate")).isEqualTo("Wed, 05 Jun 2019 19:00:00 GMT");
        assertThat(text(first, FeedRenderer.ITUNES, "duration")).as("59.5 s rounds up").isEqualTo("60");
        assertThat(text(first, FeedRenderer.ITUNES, "explicit")).isEqualTo("false");
        assertThat(children(first, FeedRenderer.ITUNES, "season")).isEmpty();
        assertThat(children(first, FeedRenderer.ITUNES, "episode")).isEmpty();
    }

    @Test
    void markupInTextIsEscapedAndDescriptionsAreCdata() {
        String xml = new String(render(), StandardCharsets.UTF_8);
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(xml).contains("<title>Tom &amp; Jerry &lt;live&gt;</title>");
        assertThat(xml).contains("<description><![CDATA[About \"us\" & <b>them</b>]]></description>");
        assertThat(xml).contains("<![CDATA[Has ]]]]><![CDATA[> inside and <p>html</p>]]>");
        assertThat(xml).contains("<itunes:category text=\"News\"><itunes:category text=\"Tech News\"/>");
        assertThat(xml).doesNotContain("\u0000").doesNotContain("\u0001");
        assertThat(xml).contains("<itunes:explicit>true</itunes:explicit>").doesNotContain(">yes<");
    }

    @Test
    void aCategoryWithoutSubcategoryAndAChannelWithoutImageOrCopyright() throws Exception {
        PodcastChannel defaults = PodcastChannel.defaults("host-2", null, PodcastGuid.of(LINKS.hostFeed("host-2")));
        byte[] xml = new FeedRenderer(LINKS).render(defaults, LINKS.hostFeed("host-2"), null, List.of());
        Element channel = child(parse(xml).getDocumentElement(), null, "channel");
        assertThat(text(channel, null, "title")).isEqualTo("host-2's livestage podcast");
        Element category = child(channel, FeedRenderer.ITUNES, "category");
        assertThat(category.getAttribute("text")).isEqualTo("Technology");
        assertThat(category.getChildNodes().getLength()).isZero();
        assertThat(children(channel, FeedRenderer.ITUNES, "image")).isEmpty();
        assertThat(children(channel, null, "copyright")).isEmpty();
        assertThat(children(channel, null, "lastBuildDate")).isEmpty();
        assertThat(children(channel, null, "item")).isEmpty();
        Node guid = child(channel, FeedRenderer.PODCAST, "guid");
        assertThat(guid.getTextContent()).isEqualTo(PodcastGuid.of("live.example/podcast/feeds/hosts/host-2.xml")
                .toString());
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        assertThat(render()).isEqualTo(render());
    }

    @Test
    void hostIdsAreOneEncodedPathSegment() {
        assertThat(LINKS.hostFeed("auth0|a b/c")).isEqualTo("https://live.example/podcast/feeds/hosts/auth0%7Ca%20b%2Fc.xml");
        assertThat(LINKS.spaceFeed("friday-talks")).isEqualTo("https://live.example/podcast/feeds/spaces/friday-talks.xml");
    }

    @Test
    void cleanKeepsSurrogatePairsAndDropsLoneSurrogates() {
        assertThat(FeedRenderer.clean(" a\uD83C\uDF99b\uD800c\uFFFE ")).isEqualTo("a\uD83C\uDF99bc");
        assertThat(FeedRenderer.seconds(0)).isZero();
        assertThat(FeedRenderer.seconds(1_499)).isEqualTo(1);
    }
}
