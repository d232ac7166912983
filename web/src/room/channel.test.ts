import { describe, expect, it } from 'vitest';
import { initialChannelState, reduce, RoomChannel, roomChannelUrl, type ServerFrame, type WebSocketLike } from './channel';
import type { ChannelState } from './state';

// frames from chat-service/PROTOCOL.md ("Examples of every server frame")
const WELCOME: ServerFrame = JSON.parse(`{"type":"welcome","v":1,"connectionId":"3c9f","session":{"id":"0b6f","title":"Friday AMA","status":"ACTIVE",
 "visibility":"PUBLIC","kind":"AUDIO"},
 "you":{"userId":"u-bob","name":"Bob","role":"VIEWER","anonymous":false,"canChat":true,"moderator":false},
 "settings":{"enableChat":true,"enableReactions":true,"slowModeSeconds":0,"signedInOnly":false,"reactionsOnly":false},
 "reactions":["heart","fire","clap","laugh","wow"],"presence":{"viewers":17,"guests":1},"lastSeq":41,
 "limits":{"maxTextLength":500}}`);

const message = (seq: number, id = `m-${seq}`, extra: Record<string, unknown> = {}): ServerFrame => ({
  v: 1,
  type: 'chat.message',
  ...extra,
  message: {
    messageId: id,
    seq,
    sessionId: '0b6f',
    author: { userId: 'u-bob', name: 'Bob', role: 'GUEST' },
    text: `message ${seq}`,
    clientMessageId: `c-${seq}`,
    sentAt: '2026-11-21T18:10:00.201Z',
  },
});

const caption = (utteranceId: string, text: string, isFinal: boolean): ServerFrame => ({
  v: 1,
  type: 'caption',
  segment: {
    sessionId: '0b6f',
    participantIdentity: 'u-alice',
    speakerName: 'Alice Host',
    streamId: '45463597',
    utteranceId,
    text,
    isFinal,
    startAt: '2026-11-21T18:12:01.250Z',
    endAt: '2026-11-21T18:12:02.650Z',
    language: 'en',
    confidence: 0.93,
    words: [],
  },
});

function fold(frames: ServerFrame[], state: ChannelState = initialChannelState()): ChannelState {
  return frames.reduce((s, f) => reduce(s, f, 1000), state);
}

describe('reduce', () => {
  it('welcome: session, you, settings, reactions, presence, limits', () => {
    const s = fold([WELCOME]);
    expect(s.status).toBe('open');
    expect(s.session).toEqual({ id: '0b6f', title: 'Friday AMA', status: 'ACTIVE', visibility: 'PUBLIC', kind: 'AUDIO' });
    expect(s.you).toEqual({ userId: 'u-bob', name: 'Bob', role: 'VIEWER', anonymous: false, canChat: true, moderator: false });
    expect(s.settings?.slowModeSeconds).toBe(0);
    expect(s.reactionTypes).toEqual(['heart', 'fire', 'clap', 'laugh', 'wow']);
    expect(s.presence).toEqual({ viewers: 17, guests: 1 });
    expect(s.maxTextLength).toBe(500);
  });

  it('chat messages: in seq order, each id once, deletions marked, lastSeq kept', () => {
    let s = fold([WELCOME, message(42), message(44)]);
    s = reduce(s, message(43, 'm-43', { replay: true }));
    s = reduce(s, message(42, 'm-42', { replay: true })); // twice around a resume
    expect(s.messages.map((m) => m.seq)).toEqual([42, 43, 44]);
    expect(s.lastSeq).toBe(44);
    s = reduce(s, { v: 1, type: 'chat.deleted', id: 'm-43', deletedBy: 'u-alice' });
    expect(s.messages.find((m) => m.id === 'm-43')).toMatchObject({ deleted: true, deletedBy: 'u-alice' });
    expect(s.messages.find((m) => m.id === 'm-42')?.deleted).toBe(false);
  });

  it('chat.ack and a refusing error clear the pending message', () => {
    let s = fold([WELCOME]);
    s = reduce(s, { type: 'local.sent', clientMessageId: 'c-7f3a9', text: 'Great question!', at: 1 });
    s = reduce(s, { type: 'local.sent', clientMessageId: 'c-7f3b0', text: 'again', at: 2 });
    expect(Object.keys(s.pending)).toEqual(['c-7f3a9', 'c-7f3b0']);
    s = reduce(s, JSON.parse('{"v":1,"type":"chat.ack","clientMessageId":"c-7f3a9","id":"5c1e","seq":42,"sentAt":"2026-11-21T18:10:00.201Z","duplicate":false}'));
    expect(Object.keys(s.pending)).toEqual(['c-7f3b0']);
    s = reduce(s, JSON.parse('{"v":1,"type":"error","code":"slow_mode","message":"slow mode: one message every 10 s","retryAfterMs":6400,"clientMessageId":"c-7f3b0"}'));
    expect(s.pending).toEqual({});
    expect(s.errors.at(-1)).toMatchObject({ code: 'slow_mode', retryAfterMs: 6400, clientMessageId: 'c-7f3b0' });
  });

  it('errors keep until and retryAfterMs', () => {
    const s = fold([JSON.parse('{"v":1,"type":"error","code":"timed_out","message":"a moderator timed you out","until":"2026-11-21T18:20:00Z"}')]);
    expect(s.errors).toEqual([{ code: 'timed_out', message: 'a moderator timed you out', until: '2026-11-21T18:20:00Z', retryAfterMs: undefined, clientMessageId: undefined, at: 1000 }]);
  });

  it('reactions windows, running total; presence; settings; you', () => {
    const s = fold([
      WELCOME,
      { v: 1, type: 'reactions', counts: { heart: 17, fire: 4 }, total: 21, windowMs: 500 },
      { v: 1, type: 'reactions', counts: { clap: 2 }, total: 2, windowMs: 500 },
      { v: 1, type: 'presence', viewers: 1532, guests: 2 },
      { v: 1, type: 'settings', enableChat: true, enableReactions: true, slowModeSeconds: 10, signedInOnly: false, reactionsOnly: false },
      { v: 1, type: 'you', userId: 'u-bob', name: 'Bob', role: 'GUEST', anonymous: false, canChat: true, moderator: false },
    ]);
    expect(s.reactions.map((w) => [w.id, w.total, w.counts])).toEqual([
      [1, 21, { heart: 17, fire: 4 }],
      [2, 2, { clap: 2 }],
    ]);
    expect(s.reactionsTotal).toBe(23);
    expect(s.presence).toEqual({ viewers: 1532, guests: 2 });
    expect(s.settings?.slowModeSeconds).toBe(10);
    expect(s.you?.role).toBe('GUEST');
  });

  it('stage queue: requested at its position, positions renumbered when one leaves it', () => {
    const req = (id: string, name: string, position: number): ServerFrame => ({
      v: 1,
      type: 'stage',
      event: 'guest.requested',
      request: { id, userId: `u-${name}`, name, status: 'PENDING', xp: 40, requestedAt: '2026-11-21T18:05:00Z', decidedAt: null, decidedBy: null },
      position,
    });
    let s = fold([WELCOME, req('r-bob', 'Bob', 1), req('r-dan', 'Dan', 2), req('r-eve', 'Eve', 1)]);
    expect(s.stageQueue.map((r) => [r.name, r.position])).toEqual([['Eve', 1], ['Bob', 2], ['Dan', 3]]);
    s = reduce(s, { v: 1, type: 'stage', event: 'guest.approved', request: { id: 'r-eve', userId: 'u-Eve', name: 'Eve', status: 'APPROVED' } });
    expect(s.stageQueue.map((r) => [r.name, r.position])).toEqual([['Bob', 1], ['Dan', 2]]);
    s = reduce(s, { v: 1, type: 'stage', event: 'guest.withdrawn', request: { id: 'r-bob', userId: 'u-Bob', name: 'Bob', status: 'WITHDRAWN' } });
    expect(s.stageQueue.map((r) => [r.name, r.position])).toEqual([['Dan', 1]]);
  });

  it('captions: partials of an utterance replace each other, the final replaces them and never changes', () => {
    let s = fold([caption('u3', 'Welcome', false), caption('u3', 'Welcome to', false), caption('u4', 'Next', false)]);
    expect(s.captions.map((c) => c.text)).toEqual(['Welcome to', 'Next']);
    s = reduce(s, caption('u3', 'Welcome to the show', true));
    s = reduce(s, caption('u3', 'Welcome to the shoe', false)); // late partial: ignored
    expect(s.captions.map((c) => [c.utteranceId, c.text, c.isFinal])).toEqual([
      ['u3', 'Welcome to the show', true],
      ['u4', 'Next', false],
    ]);
    expect(s.captions[0].speakerName).toBe('Alice Host');
  });

  it('recording: started is active until ready or failed', () => {
    let s = fold([JSON.parse('{"v":1,"type":"recording","event":"recording.started","recordingId":"7d3c","format":"MP3","trigger":"AUTO","startedAt":"2026-11-21T18:00:02Z"}')]);
    expect(s.recording.active).toBe(true);
    s = reduce(s, JSON.parse('{"v":1,"type":"recording","event":"recording.ready","recordingId":"7d3c","format":"MP3","durationMillis":1795000,"sizeBytes":28720000,"downloadUrl":"/api/sessions/0b6f/recordings/7d3c/files/mp3"}'));
    expect(s.recording.active).toBe(false);
    expect(s.recording.events.map((e) => e.event)).toEqual(['recording.started', 'recording.ready']);
    expect(s.recording.events[1].downloadUrl).toBe('/api/sessions/0b6f/recordings/7d3c/files/mp3');
  });

  it('system frames are kept; session.started and session.ended change the status', () => {
    let s = fold([{ ...WELCOME, session: { id: '0b6f', title: 'Friday AMA', status: 'SCHEDULED', visibility: 'PUBLIC', kind: 'AUDIO' } }]);
    s = reduce(s, JSON.parse('{"v":1,"type":"system","event":"session.started","userId":"u-alice","name":null,"role":"HOST","text":"The session started"}'));
    expect(s.session?.status).toBe('ACTIVE');
    s = reduce(s, JSON.parse('{"v":1,"type":"system","event":"guest.approved","userId":"u-bob","name":"Bob","role":"GUEST","text":"Bob joined the stage"}'));
    expect(s.system.map((e) => e.text)).toEqual(['The session started', 'Bob joined the stage']);
    s = reduce(s, JSON.parse('{"v":1,"type":"session.ended","endedAt":"2026-11-21T19:00:00Z"}'));
    expect(s.ended).toEqual({ endedAt: '2026-11-21T19:00:00Z' });
    expect(s.session?.status).toBe('ENDED');
  });

  it('unmute.request and resume.done', () => {
    const s = fold([
      JSON.parse('{"v":1,"type":"unmute.request","audio":true,"video":false,"requestedBy":"u-alice"}'),
      JSON.parse('{"v":1,"type":"resume.done","count":20,"complete":true}'),
    ]);
    expect(s.unmuteRequest).toEqual({ audio: true, video: false, requestedBy: 'u-alice', at: 1000 });
    expect(s.resume).toEqual({ count: 20, complete: true });
  });

  it('unknown frames change nothing', () => {
    const s = initialChannelState();
    expect(reduce(s, { type: 'something.new', v: 1 })).toBe(s);
  });
});

class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  frames() {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }
}

function harness(token: string | null) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const channel = new RoomChannel({
    url: 'ws://gateway/ws/sessions/0b6f',
    token: async () => token,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => undefined,
    newId: () => 'c-test-1',
  });
  return { channel, sockets, timers };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('RoomChannel', () => {
  it('the URL is the page origin with ws or wss', () => {
    expect(roomChannelUrl('0b6f', { protocol: 'https:', host: 'live.example' })).toBe('wss://live.example/ws/sessions/0b6f');
    expect(roomChannelUrl('0b6f', { protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws/sessions/0b6f');
  });

  it('authenticates with the bearer token in the first frame, then asks for the history', async () => {
    const { channel, sockets } = harness('tok-1');
    channel.connect();
    expect(channel.state.status).toBe('connecting');
    sockets[0].open();
    await flush();
    expect(sockets[0].frames()).toEqual([{ type: 'auth', v: 1, token: 'tok-1' }]);
    expect(sockets[0].url).toBe('ws://gateway/ws/sessions/0b6f');
    sockets[0].receive(WELCOME);
    expect(channel.state.status).toBe('open');
    expect(sockets[0].frames()[1]).toEqual({ type: 'resume', lastSeq: 0, v: 1 });
  });

  it('connects anonymously without a token', async () => {
    const { channel, sockets } = harness(null);
    channel.connect();
    sockets[0].open();
    await flush();
    expect(sockets[0].frames()).toEqual([{ type: 'auth', v: 1 }]);
  });

  it('reconnects with backoff and resumes after the last seq, without duplicates', async () => {
    const { channel, sockets, timers } = harness('tok');
    channel.connect();
    sockets[0].open();
    await flush();
    sockets[0].receive(WELCOME);
    sockets[0].receive(message(40, 'm-40', { replay: true }));
    sockets[0].receive(message(41, 'm-41', { replay: true }));
    sockets[0].receive({ v: 1, type: 'resume.done', count: 2, complete: true });
    sockets[0].receive(message(42));
    sockets[0].drop(1006);
    expect(channel.state.status).toBe('reconnecting');
    expect(timers.map((t) => t.ms)).toEqual([500]);
    timers[0].fn();
    expect(sockets).toHaveLength(2);
    sockets[1].drop(1006); // still down: the next wait doubles
    expect(timers.map((t) => t.ms)).toEqual([500, 1000]);
    timers[1].fn();
    sockets[2].open();
    await flush();
    sockets[2].receive(WELCOME);
    expect(sockets[2].frames()).toEqual([
      { type: 'auth', v: 1, token: 'tok' },
      { type: 'resume', lastSeq: 42, v: 1 },
    ]);
    sockets[2].receive(message(42, 'm-42', { replay: true })); // delivered twice around the resume
    sockets[2].receive(message(43, 'm-43', { replay: true }));
    sockets[2].receive({ v: 1, type: 'resume.done', count: 2, complete: true });
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m-40', 'm-41', 'm-42', 'm-43']);
    // the backoff starts over after a welcome
    sockets[2].drop(1006);
    expect(timers.at(-1)?.ms).toBe(500);
  });

  it('pages the history on with another resume while the replay is incomplete', async () => {
    const { channel, sockets } = harness('tok');
    channel.connect();
    sockets[0].open();
    await flush();
    sockets[0].receive(WELCOME);
    sockets[0].receive(message(7, 'm-7', { replay: true }));
    sockets[0].receive({ v: 1, type: 'resume.done', count: 500, complete: false });
    expect(sockets[0].frames().at(-1)).toEqual({ type: 'resume', lastSeq: 7, v: 1 });
  });

  it('stops for good on 4404 and 4403; session.ended then 1000 closes', async () => {
    const a = harness('tok');
    a.channel.connect();
    a.sockets[0].drop(4404, 'no such session');
    expect(a.channel.state.status).toBe('refused');
    expect(a.channel.state.closeReason).toBe('no such session');
    expect(a.timers).toHaveLength(0);

    const b = harness('tok');
    b.channel.connect();
    b.sockets[0].open();
    await flush();
    b.sockets[0].receive(WELCOME);
    b.sockets[0].receive({ v: 1, type: 'session.ended', endedAt: '2026-11-21T19:00:00Z' });
    b.sockets[0].drop(1000);
    expect(b.channel.state.ended).toEqual({ endedAt: '2026-11-21T19:00:00Z' });
    expect(b.channel.state.status).toBe('closed');
    expect(b.timers).toHaveLength(0);
  });

  it('sends chat with a clientMessageId and reactions; refuses while not connected', async () => {
    const { channel, sockets } = harness('tok');
    expect(channel.sendChat('too early')).toBe('c-test-1');
    expect(channel.state.errors.at(-1)?.code).toBe('not_connected');
    channel.connect();
    sockets[0].open();
    await flush();
    sockets[0].receive(WELCOME);
    const id = channel.sendChat('Great question!');
    expect(channel.react('heart')).toBe(true);
    expect(sockets[0].frames().slice(-2)).toEqual([
      { type: 'chat.send', clientMessageId: id, text: 'Great question!', v: 1 },
      { type: 'reaction', reaction: 'heart', v: 1 },
    ]);
    expect(channel.state.pending[id]?.text).toBe('Great question!');
  });

  it('close() stops reconnecting', async () => {
    const { channel, sockets, timers } = harness('tok');
    channel.connect();
    sockets[0].open();
    await flush();
    channel.close();
    expect(sockets[0].closed?.code).toBe(1000);
    expect(channel.state.status).toBe('closed');
    expect(timers).toHaveLength(0);
  });
});
