import { describe, expect, it } from 'vitest';
import { activeCueIndex, formatClock, parseTimestamp, parseVtt } from './webvtt';

describe('parseVtt', () => {
  it('reads cues with identifiers, settings, voices, multi-line text and entities, in any line-ending style', () => {
    const source = [
      '\uFEFFWEBVTT - episode transcript',
      'Kind: captions',
      '',
      'NOTE rendered by TranscriptExports',
      'spanning two lines',
      '',
      'STYLE',
      '::cue { color: yellow }',
      '',
      '1',
      '00:00:01.000 --> 00:00:04.500 align:start position:10%',
      '<v Alice>Welcome &amp; hello',
      'to the show</v>',
      '',
      '00:04.500 --> 00:07.250',
      '<v.loud Bob Smith>It&#39;s <b>great</b> &lt;3</v>',
      '',
      '',
      '01:02:03.040 --> 01:02:05.000',
      'No speaker here',
    ].join('\r\n');
    expect(parseVtt(source)).toEqual([
      { id: '1', start: 1, end: 4.5, speaker: 'Alice', text: 'Welcome & hello\nto the show' },
      { id: null, start: 4.5, end: 7.25, speaker: 'Bob Smith', text: "It's great <3" },
      { id: null, start: 3723.04, end: 3725, speaker: null, text: 'No speaker here' },
    ]);
    expect(parseVtt(source.replace(/\r\n/g, '\r'))).toHaveLength(3);
    expect(parseVtt(source.replace(/\r\n/g, '\n'))).toHaveLength(3);
  });

  it('skips malformed cues and sorts by start time', () => {
    const source = 'WEBVTT\n\n00:00:09.000 --> 00:00:10.000\nlate\n\n00:00:05.000 --> 00:00:04.000\nends before it starts\n\nxx --> 00:00:02.000\nbad time\n\n00:00:01.000 --> 00:00:02.000\nearly\n';
    expect(parseVtt(source).map((c) => c.text)).toEqual(['early', 'late']);
  });

  it('answers no cues for an empty transcript and refuses a file that is not WebVTT', () => {
    expect(parseVtt('WEBVTT\n')).toEqual([]);
    expect(() => parseVtt('1\n00:00:01,000 --> 00:00:02,000\nSRT\n')).toThrow(/not a WebVTT file/);
    expect(() => parseVtt('WEBVTTX\n')).toThrow(/not a WebVTT file/);
  });

  it('reads timestamps with and without hours', () => {
    expect(parseTimestamp('00:01.500')).toBe(1.5);
    expect(parseTimestamp('10:00:00.000')).toBe(36000);
    expect(parseTimestamp('00:60.000')).toBeNull();
    expect(parseTimestamp('1:02.000')).toBeNull();
  });
});

describe('activeCueIndex', () => {
  const cues = parseVtt('WEBVTT\n\n00:01.000 --> 00:03.000\na\n\n00:02.000 --> 00:05.000\nb\n\n00:08.000 --> 00:09.000\nc\n');
  it('finds the cue playing, the latest-starting one where cues overlap, and none in a gap', () => {
    expect(activeCueIndex(cues, 0.5)).toBe(-1);
    expect(activeCueIndex(cues, 1)).toBe(0);
    expect(activeCueIndex(cues, 2.5)).toBe(1);
    expect(activeCueIndex(cues, 4)).toBe(1);
    expect(activeCueIndex(cues, 6)).toBe(-1);
    expect(activeCueIndex(cues, 8.999)).toBe(2);
    expect(activeCueIndex(cues, 9)).toBe(-1);
  });
});

it('formats positions as a player shows them', () => {
  expect(formatClock(0)).toBe('0:00');
  expect(formatClock(123.9)).toBe('2:03');
  expect(formatClock(3723)).toBe('1:02:03');
});
