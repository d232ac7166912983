/** An episode as a podcast feed lists it (RSS 2.0 item; the guid is the episode id). */
export interface FeedItem {
  id: string;
  title: string;
  description: string;
  publishedAt: string | null;
  durationSeconds: number | null;
}

export interface Feed {
  title: string;
  items: FeedItem[];
}

/** Where a host's and a space's public feeds are (recording-service `/podcast/feeds/…`), absolute for podcast apps. */
export function hostFeedUrl(hostId: string, origin = globalThis.location?.origin ?? ''): string {
  return `${origin}/podcast/feeds/hosts/${encodeURIComponent(hostId)}.xml`;
}
export function spaceFeedUrl(slug: string, origin = globalThis.location?.origin ?? ''): string {
  return `${origin}/podcast/feeds/spaces/${encodeURIComponent(slug)}.xml`;
}

const ITUNES = 'http://www.itunes.com/dtds/podcast-1.0.dtd';

/** `itunes:duration` as seconds: "3600", "59:30" or "1:02:03". */
export function parseDuration(value: string | null | undefined): number | null {
  if (!value) {
    return null;
  }
  const parts = value.trim().split(':').map(Number);
  if (parts.length > 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    return null;
  }
  return parts.reduce((total, p) => total * 60 + p, 0);
}

/** Reads a feed's channel title and items; throws when the document is not RSS. */
export function parseFeed(xml: string): Feed {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const channel = doc.querySelector('rss > channel');
  if (doc.querySelector('parsererror') || !channel) {
    throw new Error('the feed is not an RSS document');
  }
  const child = (parent: Element, name: string) =>
    Array.from(parent.children).find((c) => c.localName === name && (c.namespaceURI === null || c.namespaceURI === ''))?.textContent?.trim() ?? '';
  const items = Array.from(channel.children)
    .filter((c) => c.localName === 'item')
    .map((item) => {
      const pubDate = child(item, 'pubDate');
      const parsed = pubDate ? new Date(pubDate) : null;
      const duration = Array.from(item.children).find((c) => c.localName === 'duration' && c.namespaceURI === ITUNES);
      return {
        id: child(item, 'guid'),
        title: child(item, 'title') || 'Untitled episode',
        description: child(item, 'description'),
        publishedAt: parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : null,
        durationSeconds: parseDuration(duration?.textContent),
      };
    })
    .filter((i) => i.id);
  return { title: child(channel, 'title'), items };
}
