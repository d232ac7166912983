import { useState, type FormEvent } from 'react';
import type { ChannelState, RoomActions } from '../state';

/** The room's own chat panel, used until the full ChatPanel is wired in (see slots.tsx). */
export function MinimalChat({ channel, actions }: { channel: ChannelState; actions: RoomActions }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const you = channel.you;
  const moderator = Boolean(you?.moderator);
  const canChat = Boolean(you?.canChat) && channel.settings?.enableChat !== false && channel.status === 'open';
  const lastError = channel.errors.length > 0 ? channel.errors[channel.errors.length - 1] : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) {
      return;
    }
    actions.sendChat(trimmed);
    setText('');
  };
  const moderate = (p: Promise<void>) =>
    p.then(
      () => setProblem(null),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );

  return (
    <section aria-label="Chat" className="room-chat">
      <h2>Chat</h2>
      <div role="log" aria-label="Chat messages" className="room-chat-log">
        <ul>
        {channel.messages.map((m) => (
          <li key={m.id}>
            {m.deleted ? (
              <span className="muted">
                {m.author.name}: message deleted
              </span>
            ) : (
              <span>
                <strong>{m.author.name}</strong>: {m.text}
              </span>
            )}
            {moderator && !m.deleted && m.author.userId !== you?.userId ? (
              <span className="room-mod">
                <button type="button" onClick={() => void moderate(actions.deleteMessage(m.id))}>
                  Delete message from {m.author.name}
                </button>
                <button type="button" onClick={() => void moderate(actions.timeout(m.author.userId, 300))}>
                  Time out {m.author.name}
                </button>
                <button type="button" onClick={() => void moderate(actions.ban(m.author.userId))}>
                  Ban {m.author.name}
                </button>
              </span>
            ) : null}
          </li>
        ))}
        </ul>
      </div>
      {problem ? <p role="alert">{problem}</p> : null}
      {lastError ? (
        <p role="alert" className="room-error">
          {lastError.message}
          {lastError.retryAfterMs ? ` (try again in ${Math.ceil(lastError.retryAfterMs / 1000)} s)` : ''}
        </p>
      ) : null}
      <form onSubmit={submit} className="room-chat-form">
        <label htmlFor="room-chat-message">Message</label>
        <input
          id="room-chat-message"
          value={text}
          maxLength={channel.maxTextLength}
          onChange={(e) => setText(e.target.value)}
          disabled={!canChat}
          aria-describedby={canChat ? undefined : 'room-chat-why'}
        />
        <button type="submit" disabled={!canChat || text.trim() === ''}>
          Send
        </button>
        {canChat ? null : (
          <p id="room-chat-why" className="muted">
            {you?.anonymous ? 'Sign in to chat' : channel.status !== 'open' ? 'Chat is connecting' : 'Chat is off for you'}
          </p>
        )}
      </form>
    </section>
  );
}
