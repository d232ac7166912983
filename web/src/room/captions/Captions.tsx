import { useMemo, useState } from 'react';
import './captions.css';

/** A `caption` frame's `segment`: transcription-service's `transcript.segment` event data (chat-service/PROTOCOL.md). */
export interface TranscriptSegment {
  sessionId?: string;
  participantIdentity: string;
  speakerName?: string | null;
  streamId: string;
  utteranceId: string;
  text: string;
  isFinal: boolean;
  startAt?: string;
  endAt?: string;
  language?: string;
  confidence?: number;
}

export interface CaptionLine {
  key: string;
  speaker: string;
  text: string;
  final: boolean;
}

/** How many lines stay on screen. */
export const CAPTION_LINES = 4;

/**
 * The lines to show: one per utterance (keyed by `streamId` + `utteranceId`), partials replaced by later partials and
 * by the final, which never changes after; the last `limit` utterances, oldest first.
 */
export function captionLines(segments: readonly TranscriptSegment[], limit = CAPTION_LINES): CaptionLine[] {
  const byKey = new Map<string, CaptionLine>();
  for (const s of segments) {
    const key = `${s.streamId}/${s.utteranceId}`;
    const existing = byKey.get(key);
    if (existing?.final) {
      continue;
    }
    const line: CaptionLine = {
      key,
      speaker: s.speakerName || s.participantIdentity,
      text: s.text,
      final: s.isFinal,
    };
    byKey.set(key, line); // a Map keeps the utterance's first place in the order
  }
  const lines = [...byKey.values()];
  return lines.slice(Math.max(0, lines.length - limit));
}

export interface CaptionsProps {
  /** the `caption` frames' segments, oldest first (the room core may keep only the recent ones) */
  segments: readonly TranscriptSegment[];
  /** shown at first; the viewer's choice afterwards */
  defaultOn?: boolean;
  onToggle?: (on: boolean) => void;
}

/** Live captions: the last few utterances, a partial in a lighter style until its final replaces it. */
export function Captions({ segments, defaultOn = true, onToggle }: CaptionsProps) {
  const [on, setOn] = useState(defaultOn);
  const lines = useMemo(() => captionLines(segments), [segments]);
  const toggle = () => {
    setOn(!on);
    onToggle?.(!on);
  };
  return (
    <div className="captions">
      <button type="button" className="captions-toggle" aria-pressed={on} onClick={toggle}>
        Captions
      </button>
      {on && (
        <section className="captions-region" role="log" aria-label="Live captions" aria-live="polite">
          {lines.length === 0 ? (
            <p className="captions-empty">Captions appear here when someone speaks.</p>
          ) : (
            lines.map((line) => (
              <p key={line.key} className={line.final ? 'caption-line' : 'caption-line caption-partial'}>
                {line.speaker}: {line.text}
              </p>
            ))
          )}
        </section>
      )}
    </div>
  );
}
