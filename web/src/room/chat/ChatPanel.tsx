import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type UIEvent } from 'react';
import { useApi } from '../../api/ApiContext';
import { ApiProblemError, call, problemOf, ProblemMessage, type ApiProblem } from './problem';
import { chatTimeline, type ChannelError, type ChatMessage, type ChatSettings, type RoomYou, type SystemEvent } from './types';
import './chat.css';

export interface ChatPanelProps {
  /** the session's id (chat-service's REST paths take the id) */
  sessionId: string;
  /** the chat messages in `seq` order, deduplicated (room state `messages`) */
  messages: readonly ChatMessage[];
  /** the `system` lines in arrival order (room state `system`) */
  system?: readonly SystemEvent[];
  /** `welcome.you`, updated by `you` frames; null/undefined while not connected */
  you?: RoomYou | null;
  /** `welcome.settings`, updated by `settings` frames */
  settings?: ChatSettings | null;
  /** `welcome.limits.maxTextLength` */
  maxTextLength?: number;
  /** sends a `chat.send` frame; may return the `clientMessageId` it used, so a refusal can give the text back */
  onSend: (text: string) => string | void;
  /** the last `error` frame of the room channel (room state `errors.at(-1)`; a new object for each frame) */
  lastError?: ChannelError | null;
  /** false while the room channel is (re)connecting: sending waits */
  connected?: boolean;
}

const ROLE_BADGES: Record<string, string> = { HOST: 'Host', COHOST: 'Cohost', GUEST: 'Guest' };

const TIMEOUTS: { label: string; seconds: number }[] = [
  { label: '1 minute', seconds: 60 },
  { label: '5 minutes', seconds: 300 },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86400 },
];

const SLOW_MODES: { label: string; seconds: number }[] = [
  { label: 'Off', seconds: 0 },
  { label: '5 seconds', seconds: 5 },
  { label: '10 seconds', seconds: 10 },
  { label: '30 seconds', seconds: 30 },
  { label: '1 minute', seconds: 60 },
  { label: '5 minutes', seconds: 300 },
];

/** A wait imposed by the server: slow mode or the rate limit (retryAfterMs), or a time-out (until). */
interface Wait {
  code: string;
  until: number;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function authorName(m: ChatMessage): string {
  return m.author.name ?? 'Someone';
}

/**
 * The room's chat: the log of messages and system lines, the composer, moderation per message for hosts and cohosts
 * (chat-service REST) and the chat settings for them.
 */
const NO_SYSTEM: readonly SystemEvent[] = [];
const CLOSED: ChatSettings = { enableChat: false, enableReactions: false, slowModeSeconds: 0, signedInOnly: false, reactionsOnly: false };

export function ChatPanel({
  sessionId,
  messages,
  system = NO_SYSTEM,
  you,
  settings: givenSettings,
  maxTextLength = 500,
  onSend,
  lastError,
  connected = true,
}: ChatPanelProps) {
  const settings = givenSettings ?? CLOSED;
  const entries = useMemo(() => chatTimeline(messages, system), [messages, system]);
  const [text, setText] = useState('');
  const [wait, setWait] = useState<Wait | null>(null);
  const [banned, setBanned] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const lastSent = useRef<{ id: string; text: string } | null>(null);
  const hintId = useId();
  const countId = useId();

  // an error frame: start a countdown, remember a ban, or show the refusal next to the composer
  useEffect(() => {
    if (!lastError) {
      return;
    }
    const at = Number.isFinite(lastError.at) ? lastError.at : Date.now();
    setNow(Date.now());
    if (lastError.clientMessageId && lastSent.current?.id === lastError.clientMessageId) {
      const sent = lastSent.current.text;
      setText((current) => (current === '' ? sent : current));
    }
    if ((lastError.code === 'slow_mode' || lastError.code === 'rate_limited') && lastError.retryAfterMs) {
      setWait({ code: lastError.code, until: at + lastError.retryAfterMs });
      setRefusal(null);
    } else if (lastError.code === 'timed_out' && lastError.until) {
      setWait({ code: 'timed_out', until: Date.parse(lastError.until) });
      setRefusal(null);
    } else if (lastError.code === 'banned') {
      setBanned(true);
      setRefusal(null);
    } else if (lastError.code !== 'reactions_disabled' && lastError.code !== 'invalid_reaction') {
      setRefusal(lastError.message);
    }
  }, [lastError]);

  // tick once a second while a wait runs
  const waiting = wait !== null && wait.until > now;
  useEffect(() => {
    if (!waiting) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);

  const moderator = you?.moderator === true;
  let blocked: string | null = null;
  if (!givenSettings || !you) {
    blocked = 'Connecting to the chat…';
  } else if (you.anonymous) {
    blocked = settings.signedInOnly ? 'This chat is for signed-in viewers. Sign in to chat.' : 'Sign in to chat';
  } else if (!settings.enableChat) {
    blocked = 'Chat is turned off for this session';
  } else if (banned) {
    blocked = 'You are banned from this chat';
  } else if (settings.reactionsOnly && !moderator) {
    blocked = 'Reactions only: chat messages are off for now';
  } else if (!you.canChat) {
    blocked = 'You cannot chat in this session';
  } else if (waiting && wait) {
    const seconds = Math.max(1, Math.ceil((wait.until - now) / 1000));
    blocked =
      wait.code === 'timed_out'
        ? `You are timed out until ${timeFormat.format(new Date(wait.until))}`
        : wait.code === 'slow_mode'
          ? `Slow mode: you can send again in ${seconds} s`
          : `Too many messages: you can send again in ${seconds} s`;
  }

  const trimmed = text.trim();
  const canSend = blocked === null && connected && trimmed.length > 0 && trimmed.length <= maxTextLength;

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!canSend) {
      return;
    }
    const id = onSend(trimmed);
    lastSent.current = typeof id === 'string' ? { id, text: trimmed } : null;
    setRefusal(null);
    setText('');
  };

  // auto-scroll: follow new lines while the reader is at the bottom; otherwise offer a "New messages" button
  const logRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(false);
  const lastKey = entries.length > 0 ? entries[entries.length - 1].key : '';
  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el || !lastKey) {
      return;
    }
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    } else {
      setUnseen(true);
    }
  }, [lastKey]);
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (atBottom.current) {
      setUnseen(false);
    }
  };
  const jumpToLatest = () => {
    const el = logRef.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
    }
    atBottom.current = true;
    setUnseen(false);
  };

  const slowInfo =
    settings.slowModeSeconds > 0 && settings.enableChat
      ? `Slow mode: one message every ${settings.slowModeSeconds} s${moderator ? ' (moderators are exempt)' : ''}`
      : null;

  return (
    <section className="chat-panel" aria-label="Chat">
      <h2 className="chat-heading">Chat</h2>
      {moderator && <ChatSettingsControl sessionId={sessionId} settings={settings} isHost={you?.role === 'HOST'} />}
      <div className="chat-log-wrap">
        <div className="chat-log" role="log" aria-label="Chat messages" ref={logRef} onScroll={onScroll} tabIndex={0}>
          <ol className="chat-lines">
            {entries.map((entry) =>
              entry.kind === 'system' ? (
                <li key={entry.key} className="chat-system">
                  {entry.text}
                </li>
              ) : (
                <MessageLine
                  key={entry.key}
                  sessionId={sessionId}
                  message={entry.message}
                  deleted={entry.message.deleted}
                  moderate={
                    moderator &&
                    !entry.message.deleted &&
                    entry.message.author.userId !== you?.userId &&
                    entry.message.author.role !== 'HOST' &&
                    !(you?.role === 'COHOST' && entry.message.author.role === 'COHOST')
                  }
                />
              ),
            )}
          </ol>
        </div>
        {entries.length === 0 && <p className="chat-empty">No messages yet.</p>}
        {unseen && (
          <button type="button" className="chat-new" onClick={jumpToLatest}>
            New messages
          </button>
        )}
      </div>
      {slowInfo && <p className="chat-info">{slowInfo}</p>}
      <form className="chat-compose" onSubmit={send}>
        <input
          aria-label="Message"
          type="text"
          value={text}
          maxLength={maxTextLength}
          disabled={blocked !== null}
          autoComplete="off"
          aria-describedby={`${blocked ? hintId : ''} ${countId}`.trim()}
          onChange={(e) => setText(e.target.value)}
          placeholder={blocked ?? 'Say something…'}
        />
        <button type="submit" disabled={!canSend}>
          Send
        </button>
        <span id={countId} className="chat-count" aria-live="off">
          {text.length}/{maxTextLength}
        </span>
      </form>
      {blocked && (
        <p id={hintId} className="chat-blocked" role="status">
          {blocked}
        </p>
      )}
      {!blocked && !connected && <p className="chat-blocked">Reconnecting… messages can be sent again once connected.</p>}
      {refusal && (
        <p className="room-problem" role="alert">
          {refusal}
        </p>
      )}
    </section>
  );
}

function MessageLine({
  sessionId,
  message,
  deleted,
  moderate,
}: {
  sessionId: string;
  message: ChatMessage;
  deleted: boolean;
  moderate: boolean;
}) {
  const name = authorName(message);
  const badge = ROLE_BADGES[message.author.role];
  return (
    <li className={deleted ? 'chat-message chat-deleted' : 'chat-message'}>
      {badge && <span className={`chat-badge chat-badge-${message.author.role.toLowerCase()}`}>{badge}</span>}
      {deleted ? (
        <span className="chat-text">Message from {name} deleted by a moderator</span>
      ) : (
        <span className="chat-text">
          {name}: {message.text}
        </span>
      )}
      {moderate && <Moderation sessionId={sessionId} message={message} name={name} />}
    </li>
  );
}

function Moderation({ sessionId, message, name }: { sessionId: string; message: ChatMessage; name: string }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(false);
  const groupId = useId();

  const run = useCallback(async (action: () => Promise<unknown>, success: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      setDone(success);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }, []);

  const remove = () =>
    run(
      () =>
        call(
          api.chat.DELETE('/api/sessions/{id}/chat/messages/{messageId}', {
            params: { path: { id: sessionId, messageId: message.id } },
          }),
        ),
      `Deleted the message from ${name}`,
    );
  const timeOut = (seconds: number, label: string) => {
    setChoosing(false);
    return run(
      () =>
        call(
          api.chat.POST('/api/sessions/{id}/chat/timeouts', {
            params: { path: { id: sessionId } },
            body: { userId: message.author.userId, durationSeconds: seconds },
          }),
        ),
      `${name} is timed out for ${label}`,
    );
  };
  const ban = () =>
    run(
      () =>
        call(
          api.chat.POST('/api/sessions/{id}/chat/bans', {
            params: { path: { id: sessionId } },
            body: { userId: message.author.userId },
          }),
        ),
      `${name} is banned from the chat`,
    );

  return (
    <span className="chat-moderation">
      <button type="button" aria-label={`Delete message from ${name}`} disabled={busy} onClick={remove}>
        Delete
      </button>
      <button
        type="button"
        aria-label={`Time out ${name}`}
        aria-expanded={choosing}
        aria-controls={groupId}
        disabled={busy}
        onClick={() => setChoosing((c) => !c)}
      >
        Time out
      </button>
      <button type="button" aria-label={`Ban ${name}`} disabled={busy} onClick={ban}>
        Ban
      </button>
      {choosing && (
        <span role="group" id={groupId} aria-label={`Time out ${name} for`} className="chat-timeouts">
          {TIMEOUTS.map((t) => (
            <button key={t.seconds} type="button" onClick={() => void timeOut(t.seconds, t.label)}>
              {t.label}
            </button>
          ))}
          <button type="button" onClick={() => setChoosing(false)}>
            Cancel
          </button>
        </span>
      )}
      {done && !problem && (
        <span className="chat-done" role="status">
          {done}
        </span>
      )}
      <ProblemMessage problem={problem} />
    </span>
  );
}

/** Hosts and cohosts: slow mode, signed-in only, reactions only (chat-service); the host also turns chat on and off (session-service). */
function ChatSettingsControl({ sessionId, settings, isHost }: { sessionId: string; settings: ChatSettings; isHost: boolean }) {
  const api = useApi();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  // what the server answered, until the room channel's `settings` frame brings the same
  const [local, setLocal] = useState<ChatSettings>(settings);
  useEffect(() => setLocal(settings), [settings]);

  const patchChat = async (body: { slowModeSeconds?: number; signedInOnly?: boolean; reactionsOnly?: boolean }) => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await call(
        api.chat.PATCH('/api/sessions/{id}/chat/settings', { params: { path: { id: sessionId } }, body }),
      );
      setLocal((s) => ({ ...s, ...body, ...(answer ?? {}) }) as ChatSettings);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  const setChatEnabled = async (enableChat: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      await call(
        api.sessions.PATCH('/api/sessions/{id}', {
          params: { path: { id: sessionId } },
          body: { settings: { enableChat } },
        }),
      );
      setLocal((s) => ({ ...s, enableChat }));
    } catch (error) {
      setProblem(error instanceof ApiProblemError ? error.problem : problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  const slowId = useId();
  const known = SLOW_MODES.some((m) => m.seconds === local.slowModeSeconds);

  return (
    <details className="chat-settings">
      <summary>Chat settings</summary>
      <fieldset disabled={busy} aria-label="Chat settings">
        {isHost && (
          <label>
            <input type="checkbox" checked={local.enableChat} onChange={(e) => void setChatEnabled(e.target.checked)} /> Chat on
          </label>
        )}
        <label htmlFor={slowId}>Slow mode</label>
        <select
          id={slowId}
          value={local.slowModeSeconds}
          onChange={(e) => void patchChat({ slowModeSeconds: Number(e.target.value) })}
        >
          {!known && <option value={local.slowModeSeconds}>{local.slowModeSeconds} seconds</option>}
          {SLOW_MODES.map((m) => (
            <option key={m.seconds} value={m.seconds}>
              {m.label}
            </option>
          ))}
        </select>
        <label>
          <input
            type="checkbox"
            checked={local.signedInOnly}
            onChange={(e) => void patchChat({ signedInOnly: e.target.checked })}
          />{' '}
          Signed-in viewers only
        </label>
        <label>
          <input
            type="checkbox"
            checked={local.reactionsOnly}
            onChange={(e) => void patchChat({ reactionsOnly: e.target.checked })}
          />{' '}
          Reactions only
        </label>
      </fieldset>
      <ProblemMessage problem={problem} />
    </details>
  );
}
