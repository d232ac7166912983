import { useEffect, useRef } from 'react';
import { activeCueIndex, formatClock, type Cue } from './webvtt';

/**
 * The transcript beside the player: one button per cue ("2:03 Alice: text"); the cue at `time` is highlighted
 * (`aria-current`) and kept in view while it plays; activating a line (click, Enter, Space) seeks there.
 */
export function Transcript({ cues, time, onSeek }: { cues: Cue[]; time: number; onSeek: (seconds: number) => void }) {
  const active = activeCueIndex(cues, time);
  const list = useRef<HTMLOListElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    if (active < 0 || !follow.current) {
      return;
    }
    const item = list.current?.children[active] as HTMLElement | undefined;
    // the list sits in a scrolling box: scroll that box only, never the page (keeps the player in view)
    const box = list.current?.parentElement;
    if (item && box && typeof box.scrollTo === 'function') {
      box.scrollTo({ top: Math.max(0, item.offsetTop - box.clientHeight / 3), behavior: 'smooth' });
    }
  }, [active]);

  if (cues.length === 0) {
    return <p className="empty">This episode has no transcript.</p>;
  }
  return (
    <ol
      ref={list}
      className="transcript"
      onFocus={() => (follow.current = false)}
      onBlur={() => (follow.current = true)}
    >
      {cues.map((cue, i) => (
        <li key={`${cue.start}-${i}`} className={i === active ? 'cue cue-current' : 'cue'}>
          <button
            type="button"
            className="cue-button"
            aria-current={i === active ? 'true' : undefined}
            onClick={() => onSeek(cue.start)}
          >
            <span className="cue-time">{formatClock(cue.start)}</span>{' '}
            {cue.speaker && <span className="cue-speaker">{cue.speaker}: </span>}
            <span>{cue.text}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
