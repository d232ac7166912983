import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { captionLines, Captions, type TranscriptSegment } from './Captions';

afterEach(cleanup);

const segment = (utteranceId: string, text: string, isFinal: boolean, speakerName = 'Alice Host', streamId = 'st-1'): TranscriptSegment => ({
  sessionId: 's-1',
  participantIdentity: 'u-alice',
  speakerName,
  streamId,
  utteranceId,
  text,
  isFinal,
  startAt: '2026-11-21T18:12:01.250Z',
  endAt: '2026-11-21T18:12:02.650Z',
  language: 'en',
  confidence: 0.93,
});

describe('captionLines', () => {
  it('replaces partials by later partials and by the final, which then never changes', () => {
    const lines = captionLines([
      segment('u1', 'Welcome', false),
      segment('u1', 'Welcome to', false),
      segment('u1', 'Welcome to the show', true),
      segment('u1', 'Welcome to the shop', false), // late partial after the final: ignored
    ]);
    expect(lines).toEqual([{ key: 'st-1/u1', speaker: 'Alice Host', text: 'Welcome to the show', final: true }]);
  });

  it('keys utterances by stream and utterance id and keeps the last few, oldest first', () => {
    const segments = [
      segment('u1', 'one', true),
      segment('u1', 'other stream', true, 'Bob', 'st-2'),
      segment('u2', 'two', true),
      segment('u3', 'three', true),
      segment('u4', 'four', false),
    ];
    expect(captionLines(segments, 4).map((l) => `${l.speaker}: ${l.text}`)).toEqual([
      'Bob: other stream',
      'Alice Host: two',
      'Alice Host: three',
      'Alice Host: four',
    ]);
  });
});

describe('Captions', () => {
  it('shows "<speaker>: <text>" in a "Live captions" log, partials in a lighter style', () => {
    render(<Captions segments={[segment('u1', 'Welcome to the show', true), segment('u2', 'Our first', false, 'Bob')]} />);
    const log = screen.getByRole('log', { name: 'Live captions' });
    const final = within(log).getByText('Alice Host: Welcome to the show');
    const partial = within(log).getByText('Bob: Our first');
    expect(final.className).not.toContain('caption-partial');
    expect(partial.className).toContain('caption-partial');
  });

  it('replaces the partial by its final in place', () => {
    const { rerender } = render(<Captions segments={[segment('u1', 'Our first gue', false)]} />);
    expect(screen.getByText('Alice Host: Our first gue').className).toContain('caption-partial');
    rerender(<Captions segments={[segment('u1', 'Our first gue', false), segment('u1', 'Our first guest', true)]} />);
    expect(screen.queryByText('Alice Host: Our first gue')).toBeNull();
    expect(screen.getByText('Alice Host: Our first guest').className).not.toContain('caption-partial');
  });

  it('has a "Captions" toggle that hides and shows them', () => {
    render(<Captions segments={[segment('u1', 'hello', true)]} />);
    const toggle = screen.getByRole('button', { name: 'Captions' });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(screen.queryByRole('log', { name: 'Live captions' })).toBeNull();
    fireEvent.click(toggle);
    expect(screen.getByRole('log', { name: 'Live captions' })).toBeTruthy();
  });
});
