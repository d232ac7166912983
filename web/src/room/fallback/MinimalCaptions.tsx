import { useState } from 'react';
import type { Caption } from '../state';

/** The room's own captions, used until the full Captions component is wired in (see slots.tsx). */
export function MinimalCaptions({ captions }: { captions: Caption[] }) {
  const [on, setOn] = useState(true);
  return (
    <div className="room-captions">
      <button type="button" aria-pressed={on} onClick={() => setOn(!on)}>
        Captions
      </button>
      {on ? (
        <section role="log" aria-label="Live captions">
          {captions.slice(-6).map((c) => (
            <p key={c.key} className={c.isFinal ? undefined : 'muted'}>
              {c.speakerName}: {c.text}
            </p>
          ))}
        </section>
      ) : null}
    </div>
  );
}
