import { describe, expect, it } from 'vitest';
import { activeChapterIndex, parseChapters } from './chapters';
import { parseDuration, parseFeed } from './feed';

describe('parseChapters', () => {
  it('reads a JSON chapters document, sorted, without toc:false entries or chapters lacking a start', () => {
    const chapters = parseChapters({
      version: '1.2.0',
      chapters: [
        { startTime: 600, title: 'Q&A' },
        { startTime: 0, title: 'Intro' },
        { startTime: 300, title: 'Hidden', toc: false },
        { title: 'No start' },
        { startTime: 120, title: '  ', endTime: 300 },
      ],
    });
    expect(chapters).toEqual([
      { startTime: 0, title: 'Intro' },
      { startTime: 120, title: 'Untitled chapter', endTime: 300 },
      { startTime: 600, title: 'Q&A' },
    ]);
    expect(activeChapterIndex(chapters, 0)).toBe(0);
    expect(activeChapterIndex(chapters, 200)).toBe(1);
    expect(activeChapterIndex(chapters, 119.9)).toBe(0);
    expect(activeChapterIndex(chapters, 400)).toBe(-1); // chapter 2 ended at 300, chapter 3 starts at 600
    expect(activeChapterIndex(chapters, 601)).toBe(2);
  });

  it('refuses a document without a chapters list', () => {
    expect(() => parseChapters({ version: '1.2.0' })).toThrow(/no "chapters" list/);
  });
});

describe('parseFeed', () => {
  it('reads the channel title and items (guid = episode id, pubDate, itunes:duration)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Alice's show</title><itunes:title>ignored</itunes:title>
<item><title>Episode two</title><description><![CDATA[<p>Second</p>]]></description>
<guid isPermaLink="false">ep-2</guid><pubDate>Fri, 04 Dec 2026 18:30:00 GMT</pubDate><itunes:duration>3723</itunes:duration></item>
<item><title>Episode one</title><guid isPermaLink="false">ep-1</guid><itunes:duration>59:30</itunes:duration></item>
<item><title>No guid</title></item>
</channel></rss>`;
    expect(parseFeed(xml)).toEqual({
      title: "Alice's show",
      items: [
        { id: 'ep-2', title: 'Episode two', description: '<p>Second</p>', publishedAt: '2026-12-04T18:30:00.000Z', durationSeconds: 3723 },
        { id: 'ep-1', title: 'Episode one', description: '', publishedAt: null, durationSeconds: 3570 },
      ],
    });
  });

  it('refuses what is not RSS', () => {
    expect(() => parseFeed('<html><body>oops</body></html>')).toThrow(/not an RSS document/);
    expect(() => parseFeed('not xml at all <')).toThrow(/not an RSS document/);
  });

  it('reads durations', () => {
    expect(parseDuration('1:02:03')).toBe(3723);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('a:b')).toBeNull();
    expect(parseDuration(null)).toBeNull();
  });
});
