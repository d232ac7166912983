import type { ChannelState, RoomActions } from '../state';

export const REACTION_EMOJI: Record<string, string> = {
  heart: '❤️',
  fire: '🔥',
  clap: '👏',
  laugh: '😂',
  wow: '😮',
};

/** The room's own reactions toolbar, used until the full ReactionsBar is wired in (see slots.tsx). */
export function MinimalReactions({ channel, actions }: { channel: ChannelState; actions: RoomActions }) {
  const types = channel.reactionTypes.length > 0 ? channel.reactionTypes : ['heart', 'fire', 'clap', 'laugh'];
  const enabled = channel.settings?.enableReactions !== false && channel.status === 'open' && !channel.you?.anonymous;
  const recent = channel.reactions.slice(-3);
  return (
    <div className="room-reactions">
      <div role="toolbar" aria-label="Reactions">
        {types.map((t) => (
          <button key={t} type="button" disabled={!enabled} onClick={() => actions.react(t)} aria-label={`React with ${t}`}>
            <span aria-hidden="true">{REACTION_EMOJI[t] ?? t}</span>
          </button>
        ))}
      </div>
      <div className="room-reaction-burst" aria-hidden="true">
        {recent.flatMap((w) =>
          Object.entries(w.counts)
            .filter(([, n]) => n > 0)
            .map(([t, n]) => (
              <span key={`${w.id}-${t}`} className="room-float">
                {(REACTION_EMOJI[t] ?? t).repeat(Math.min(n, 3))}
              </span>
            )),
        )}
      </div>
      <p aria-live="polite" className="muted">
        {channel.reactionsTotal} reactions
      </p>
    </div>
  );
}
