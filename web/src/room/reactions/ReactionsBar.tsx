import { useEffect, useRef, useState } from 'react';
import './reactions.css';

/**
 * A `reactions` frame of the room channel: the counts of one aggregation window (chat-service, 500 ms), numbered by
 * the room core in arrival order (structurally the room state's `ReactionWindow`).
 */
export interface ReactionWindow {
  id: number;
  counts: Record<string, number>;
  total: number;
  windowMs: number;
}

/** The emoji of chat-service's reaction types (`livestage.chat.reactions.names`); an unknown type shows its name. */
export const REACTION_EMOJI: Record<string, string> = {
  heart: '❤️',
  fire: '🔥',
  clap: '👏',
  laugh: '😂',
  wow: '😮',
};

/** At most this many emoji float at once, however large the room. */
export const MAX_PARTICLES = 40;
/** At most this many new emoji per window (the rest only count). */
export const MAX_PARTICLES_PER_WINDOW = 12;
const PARTICLE_MILLIS = 2400;

export interface ReactionsBarProps {
  /** `welcome.reactions`: the session's reaction types, in order */
  reactions: readonly string[];
  /** the recent `reactions` windows, oldest first (room state `reactions`); each new id floats once */
  windows?: readonly ReactionWindow[];
  /** sends a `reaction` frame */
  onReact: (reaction: string) => void;
  /** `settings.enableReactions`; false disables the buttons */
  enabled?: boolean;
  /** false for anonymous viewers (they cannot send); the buttons are disabled with the reason */
  canReact?: boolean;
  /** the total to show (room state `reactionsTotal`); without it, the windows seen here are summed */
  total?: number;
}

interface Particle {
  id: number;
  emoji: string;
  left: number;
  delay: number;
}

export function emojiFor(reaction: string): string {
  return REACTION_EMOJI[reaction] ?? reaction;
}

/**
 * Turns a window's counts into particles: proportional to each type's count, at most `perWindow` in all (and at
 * least one for a type that was sent), so a burst of 5,000 hearts is a handful of emoji, not 5,000 nodes.
 */
export function particlesFor(counts: Record<string, number>, perWindow = MAX_PARTICLES_PER_WINDOW): string[] {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) {
    return [];
  }
  if (total <= perWindow) {
    return entries.flatMap(([type, n]) => Array<string>(n).fill(type));
  }
  const shares = entries.map(([type, n]) => {
    const exact = (n / total) * perWindow;
    return { type, share: Math.max(1, Math.floor(exact)), remainder: exact - Math.floor(exact) };
  });
  // the places left by rounding down go to the largest remainders
  let left = perWindow - shares.reduce((sum, s) => sum + s.share, 0);
  for (const s of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) {
      break;
    }
    s.share++;
    left--;
  }
  // a type sent at all keeps one emoji: take the excess from the largest shares
  let excess = shares.reduce((sum, s) => sum + s.share, 0) - perWindow;
  while (excess > 0) {
    const largest = shares.reduce((a, b) => (b.share > a.share ? b : a));
    if (largest.share <= 1) {
      break;
    }
    largest.share--;
    excess--;
  }
  return shares.flatMap((s) => Array<string>(s.share).fill(s.type)).slice(0, perWindow);
}

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-reduced-motion: reduce)').matches
    : false;
}

let particleIds = 0;

/** The reaction buttons, the floating emoji of the room's reactions and their running total. */
const NO_WINDOWS: readonly ReactionWindow[] = [];

export function ReactionsBar({ reactions, windows = NO_WINDOWS, onReact, enabled = true, canReact = true, total }: ReactionsBarProps) {
  const [seenTotal, setSeenTotal] = useState(0);
  const [particles, setParticles] = useState<Particle[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  // windows already shown: those present at mount are history, not new bursts
  const lastId = useRef<number | null>(null);

  useEffect(() => {
    const newest = windows.length > 0 ? windows[windows.length - 1].id : 0;
    if (lastId.current === null) {
      lastId.current = newest;
      return;
    }
    // ids restart when the room core starts over (a new connection): everything is new then
    const seen = newest < lastId.current ? 0 : lastId.current;
    const fresh = windows.filter((w) => w.id > seen);
    if (fresh.length === 0) {
      return;
    }
    lastId.current = newest;
    setSeenTotal((t) => t + fresh.reduce((sum, w) => sum + (Number.isFinite(w.total) ? w.total : 0), 0));
    if (prefersReducedMotion()) {
      return;
    }
    const counts: Record<string, number> = {};
    for (const w of fresh) {
      for (const [type, n] of Object.entries(w.counts)) {
        counts[type] = (counts[type] ?? 0) + n;
      }
    }
    const windowMs = fresh[fresh.length - 1].windowMs || 500;
    const born = particlesFor(counts).map((type, i) => ({
      id: ++particleIds,
      emoji: emojiFor(type),
      left: 5 + Math.random() * 85,
      delay: Math.min(i * 40, windowMs - 40),
    }));
    if (born.length === 0) {
      return;
    }
    setParticles((current) => [...current, ...born].slice(-MAX_PARTICLES));
    const ids = new Set(born.map((p) => p.id));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setParticles((current) => current.filter((p) => !ids.has(p.id)));
    }, PARTICLE_MILLIS + 600);
    timers.current.add(timer);
  }, [windows]);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      pending.forEach(clearTimeout);
      pending.clear();
    };
  }, []);

  const reason = !enabled ? 'Reactions are turned off' : !canReact ? 'Sign in to react' : null;

  return (
    <div className="reactions">
      <div role="toolbar" aria-label="Reactions" className="reactions-bar">
        {reactions.map((type) => (
          <button
            key={type}
            type="button"
            aria-label={`React with ${type}`}
            title={reason ?? `React with ${type}`}
            disabled={reason !== null}
            onClick={() => onReact(type)}
          >
            <span aria-hidden="true">{emojiFor(type)}</span>
          </button>
        ))}
      </div>
      <p className="reactions-total" aria-live="polite">
        {total ?? seenTotal} reactions
      </p>
      {reason && <p className="reactions-reason">{reason}</p>}
      <div className="reactions-stage" aria-hidden="true" data-testid="reaction-particles">
        {particles.map((p) => (
          <span
            key={p.id}
            className="reaction-particle"
            style={{ left: `${p.left}%`, animationDelay: `${p.delay}ms`, animationDuration: `${PARTICLE_MILLIS}ms` }}
          >
            {p.emoji}
          </span>
        ))}
      </div>
    </div>
  );
}
