import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatPanel, type ChatPanelProps } from './ChatPanel';
import { json, renderWithApi, stubFetch } from './testing';
import { chatTimeline, type ChatMessage, type ChatSettings, type RoomYou, type SystemEvent } from './types';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const settings: ChatSettings = { enableChat: true, enableReactions: true, slowModeSeconds: 0, signedInOnly: false, reactionsOnly: false };
const viewer: RoomYou = { userId: 'u-dan', name: 'Dan', role: 'VIEWER', anonymous: false, canChat: true, moderator: false };
const host: RoomYou = { userId: 'u-alice', name: 'Alice', role: 'HOST', anonymous: false, canChat: true, moderator: true };
const anonymous: RoomYou = { userId: null, name: null, role: 'VIEWER', anonymous: true, canChat: false, moderator: false };

const T0 = Date.parse('2026-11-21T18:10:00Z');
const message = (seq: number, userId: string, name: string, role: string, text: string, deleted = false): ChatMessage => ({
  id: `m-${seq}`,
  seq,
  author: { userId, name, role },
  text,
  clientMessageId: `c-${seq}`,
  sentAt: new Date(T0 + seq * 1000).toISOString(),
  deleted,
  deletedBy: deleted ? 'u-alice' : undefined,
});

const sampleMessages: ChatMessage[] = [
  message(42, 'u-bob', 'Bob', 'GUEST', 'Great question!'),
  message(43, 'u-carl', 'Carl', 'VIEWER', 'spam spam', true),
  message(44, 'u-alice', 'Alice', 'HOST', 'Welcome all'),
];
const sampleSystem: SystemEvent[] = [
  { event: 'guest.approved', userId: 'u-bob', name: 'Bob', role: 'GUEST', text: 'Bob joined the stage', at: T0 + 42_500 },
];

function renderChat(props: Partial<ChatPanelProps> = {}) {
  const onSend = props.onSend ?? vi.fn(() => 'c-new');
  const result = renderWithApi(
    <ChatPanel sessionId="s-1" messages={sampleMessages} system={sampleSystem} you={viewer} settings={settings} onSend={onSend} {...props} />,
  );
  return { onSend, ...result };
}

describe('chatTimeline', () => {
  it('puts each system line after the messages sent before it arrived', () => {
    const log = chatTimeline(sampleMessages, sampleSystem);
    expect(log.map((e) => (e.kind === 'message' ? `${e.message.seq}${e.message.deleted ? ' deleted' : ''}` : e.text))).toEqual([
      '42',
      'Bob joined the stage',
      '43 deleted',
      '44',
    ]);
    expect(chatTimeline([], sampleSystem).map((e) => e.kind)).toEqual(['system']);
  });
});

describe('ChatPanel', () => {
  it('shows messages as "author: text" with role badges, deleted messages and system lines in a log', () => {
    renderChat();
    const region = screen.getByRole('region', { name: 'Chat' });
    const log = within(region).getByRole('log');
    expect(within(log).getByText('Bob: Great question!')).toBeTruthy();
    expect(within(log).getByText('Alice: Welcome all')).toBeTruthy();
    expect(within(log).getByText('Bob joined the stage')).toBeTruthy();
    expect(within(log).getByText('Message from Carl deleted by a moderator')).toBeTruthy();
    expect(within(log).queryByText(/spam spam/)).toBeNull();
    expect(within(log).getByText('Host')).toBeTruthy();
    expect(within(log).getByText('Guest')).toBeTruthy();
  });

  it('shows moderation buttons to moderators only, never on their own or the host’s messages', () => {
    renderChat({ you: viewer });
    expect(screen.queryByRole('button', { name: /Delete message from/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Ban / })).toBeNull();
    cleanup();

    renderChat({ you: host });
    expect(screen.getByRole('button', { name: 'Delete message from Bob' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Time out Bob' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ban Bob' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ban Alice' })).toBeNull();
    // a deleted message offers nothing more
    expect(screen.queryByRole('button', { name: 'Delete message from Carl' })).toBeNull();
    cleanup();

    // a cohost cannot moderate another cohost (chat-service refuses it): no buttons on Carol's message
    const cohost: RoomYou = { userId: 'u-zed', name: 'Zed', role: 'COHOST', anonymous: false, canChat: true, moderator: true };
    renderChat({ you: cohost, messages: [...sampleMessages, message(45, 'u-carol', 'Carol', 'COHOST', 'hello')] });
    expect(screen.getByRole('button', { name: 'Ban Bob' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Ban Carol' })).toBeNull();
  });

  it('deletes, times out (with the chosen duration) and bans through chat-service', async () => {
    const requests = stubFetch((method) => (method === 'DELETE' ? new Response(null, { status: 204 }) : json({ actionId: 'a1' })));
    renderChat({ you: host });

    fireEvent.click(screen.getByRole('button', { name: 'Delete message from Bob' }));
    await screen.findByText('Deleted the message from Bob');

    fireEvent.click(screen.getByRole('button', { name: 'Time out Bob' }));
    fireEvent.click(within(screen.getByRole('group', { name: 'Time out Bob for' })).getByRole('button', { name: '5 minutes' }));
    await screen.findByText('Bob is timed out for 5 minutes');

    fireEvent.click(screen.getByRole('button', { name: 'Ban Bob' }));
    await screen.findByText('Bob is banned from the chat');

    expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['DELETE', '/api/sessions/s-1/chat/messages/m-42', undefined],
      ['POST', '/api/sessions/s-1/chat/timeouts', { userId: 'u-bob', durationSeconds: 300 }],
      ['POST', '/api/sessions/s-1/chat/bans', { userId: 'u-bob' }],
    ]);
    expect(requests[0].authorization).toBe('Bearer token-of-u-alice');
  });

  it('shows a refused moderation’s problem next to the message, naming the field', async () => {
    stubFetch(() =>
      json({ title: 'Bad Request', status: 400, detail: 'a cohost cannot moderate the host', field: 'userId' }, 400),
    );
    renderChat({ you: host });
    fireEvent.click(screen.getByRole('button', { name: 'Ban Bob' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('a cohost cannot moderate the host (field: userId)');
    expect(alert.closest('li')?.textContent).toContain('Bob: Great question!');
  });

  it('sends with Enter, trimmed, and clears the box; the limit comes from the settings', () => {
    const { onSend } = renderChat({ maxTextLength: 20 });
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement;
    expect(box.maxLength).toBe(20);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(box, { target: { value: '  hello room  ' } });
    fireEvent.submit(box.form!);
    expect(onSend).toHaveBeenCalledWith('hello room');
    expect(box.value).toBe('');
  });

  it('waits for the room channel before anyone can write', () => {
    renderChat({ you: null, settings: null });
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('Connecting to the chat…')).toBeTruthy();
  });

  it('is read-only for anonymous viewers and says why', () => {
    renderChat({ you: anonymous });
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Sign in to chat')).toBeTruthy();
  });

  it.each([
    [{ ...settings, enableChat: false }, 'Chat is turned off for this session'],
    [{ ...settings, reactionsOnly: true }, 'Reactions only: chat messages are off for now'],
  ])('is disabled with the reason when the settings say so (%#)', (s, reason) => {
    renderChat({ settings: s });
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText(reason)).toBeTruthy();
  });

  it('lets moderators write in reactions-only mode', () => {
    renderChat({ you: host, settings: { ...settings, reactionsOnly: true } });
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('counts down a slow-mode refusal and gives the refused text back', () => {
    vi.useFakeTimers();
    const onSend = vi.fn(() => 'c-9');
    const { rerender } = renderChat({ onSend, settings: { ...settings, slowModeSeconds: 10 } });
    expect(screen.getByText('Slow mode: one message every 10 s')).toBeTruthy();
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement;
    fireEvent.change(box, { target: { value: 'again' } });
    fireEvent.submit(box.form!);
    const refusal = { code: 'slow_mode', message: 'slow mode', retryAfterMs: 6400, clientMessageId: 'c-9', at: Date.now() };
    rerender(
      <ChatPanel sessionId="s-1" messages={sampleMessages} you={viewer} settings={{ ...settings, slowModeSeconds: 10 }} onSend={onSend} lastError={refusal} />,
    );
    expect(screen.getByText('Slow mode: you can send again in 7 s')).toBeTruthy();
    expect(box.disabled).toBe(true);
    expect(box.value).toBe('again');
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(screen.getByText('Slow mode: you can send again in 4 s')).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(4000);
    });
    expect(screen.queryByText(/you can send again/)).toBeNull();
    expect(box.disabled).toBe(false);
  });

  it('is disabled while timed out, until the time given', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-21T18:10:00Z'));
    renderChat({ lastError: { code: 'timed_out', message: 'a moderator timed you out', until: '2026-11-21T18:20:00Z', at: Date.now() } });
    expect(screen.getByText(/^You are timed out until /)).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLInputElement).disabled).toBe(true);
  });

  it('shows other refusals (a blocked term) next to the composer', () => {
    renderChat({ lastError: { code: 'blocked_term', message: 'your message contains a blocked term', at: Date.now() } });
    expect(screen.getByRole('alert').textContent).toBe('your message contains a blocked term');
  });

  it('does not jump to new messages while the reader scrolled up, and offers "New messages"', () => {
    const { rerender } = renderChat();
    const log = screen.getByRole('log');
    Object.defineProperty(log, 'scrollHeight', { configurable: true, value: 1000 });
    Object.defineProperty(log, 'clientHeight', { configurable: true, value: 200 });
    log.scrollTop = 300;
    fireEvent.scroll(log);
    const more = [...sampleMessages, message(50, 'u-bob', 'Bob', 'GUEST', 'one more')];
    rerender(<ChatPanel sessionId="s-1" messages={more} you={viewer} settings={settings} onSend={vi.fn()} />);
    expect(log.scrollTop).toBe(300);
    fireEvent.click(screen.getByRole('button', { name: 'New messages' }));
    expect(log.scrollTop).toBe(1000);
    expect(screen.queryByRole('button', { name: 'New messages' })).toBeNull();

    // at the bottom, new lines are followed
    const evenMore = [...more, message(51, 'u-bob', 'Bob', 'GUEST', 'and another')];
    Object.defineProperty(log, 'scrollHeight', { configurable: true, value: 1100 });
    rerender(<ChatPanel sessionId="s-1" messages={evenMore} you={viewer} settings={settings} onSend={vi.fn()} />);
    expect(log.scrollTop).toBe(1100);
    expect(screen.queryByRole('button', { name: 'New messages' })).toBeNull();
  });

  it('lets moderators set slow mode and reactions-only; the host turns chat off through session-service', async () => {
    const requests = stubFetch((_method, path) =>
      path.endsWith('/chat/settings') ? json({ ...settings, slowModeSeconds: 10 }) : json({ id: 's-1' }),
    );
    renderChat({ you: host });
    fireEvent.change(screen.getByRole('combobox', { name: 'Slow mode' }), { target: { value: '10' } });
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Slow mode' }) as HTMLSelectElement).value).toBe('10'));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Reactions only' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Chat on' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PATCH', '/api/sessions/s-1/chat/settings', { slowModeSeconds: 10 }],
      ['PATCH', '/api/sessions/s-1/chat/settings', { reactionsOnly: true }],
      ['PATCH', '/api/sessions/s-1', { settings: { enableChat: false } }],
    ]);
  });

  it('names the field of a refused setting', async () => {
    stubFetch(() => json({ status: 400, title: 'Bad Request', detail: 'must be less than or equal to 3600', field: 'slowModeSeconds' }, 400));
    renderChat({ you: host });
    fireEvent.change(screen.getByRole('combobox', { name: 'Slow mode' }), { target: { value: '300' } });
    expect((await screen.findByRole('alert')).textContent).toBe('must be less than or equal to 3600 (field: slowModeSeconds)');
  });

  it('hides the settings from viewers', () => {
    renderChat({ you: viewer });
    expect(screen.queryByRole('combobox', { name: 'Slow mode' })).toBeNull();
  });
});
