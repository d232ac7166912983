import { afterEach, describe, expect, it, vi } from 'vitest';
import { Chunker, CHUNK_SAMPLES, Downsampler, SpeakerStream, speakerChannelUrl, toInt16 } from './speaker';

describe('PCM16 conversion', () => {
  it('clamps and scales to 16-bit', () => {
    expect([toInt16(0), toInt16(1), toInt16(-1), toInt16(2), toInt16(-0.5)]).toEqual([0, 32767, -32768, 32767, -16384]);
  });

  it('48 kHz to 16 kHz: one sample per three, averaged, across pushes', () => {
    const d = new Downsampler(48_000);
    const a = d.push(Float32Array.from([0.3, 0.3, 0.3, 0.6, 0.6]));
    const b = d.push(Float32Array.from([0.6, -1, -1, -1, 0]));
    expect(Array.from(a)).toEqual([toInt16(0.3)]);
    expect(Array.from(b)).toEqual([toInt16(0.6), toInt16(-1)]);
    // 1 s in → 16 000 samples out
    const d2 = new Downsampler(48_000);
    let n = 0;
    for (let i = 0; i < 375; i++) {
      n += d2.push(new Float32Array(128)).length;
    }
    expect(n).toBe(16_000);
  });

  it('44.1 kHz: the fractional ratio keeps the rate over time', () => {
    const d = new Downsampler(44_100);
    let n = 0;
    for (let i = 0; i < 441; i++) {
      n += d.push(new Float32Array(100)).length;
    }
    expect(Math.abs(n - 16_000)).toBeLessThanOrEqual(1);
  });

  it('chunks of 100 ms as little-endian bytes', () => {
    const c = new Chunker();
    expect(c.push(new Int16Array(CHUNK_SAMPLES - 1))).toHaveLength(0);
    const samples = new Int16Array(CHUNK_SAMPLES + 1);
    samples[0] = 0x1234;
    const chunks = c.push(samples); // 1599 + 1601 samples: two chunks, samples[0] is the first chunk's last
    expect(chunks).toHaveLength(2);
    expect(chunks[0].byteLength).toBe(3200);
    const bytes = new Uint8Array(chunks[0]);
    expect([bytes[3198], bytes[3199]]).toEqual([0x34, 0x12]);
  });
});

class FakeSocket {
  readyState = 0;
  binaryType = 'blob';
  sent: (string | ArrayBuffer)[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed: number | undefined;
  constructor(readonly url: string) {}
  send(d: string | ArrayBuffer) {
    this.sent.push(d);
  }
  close(code?: number) {
    this.closed = code;
    this.readyState = 3;
  }
}

/** An AudioContext without AudioWorklet: the ScriptProcessor path, driven by the test. */
function fakeAudio() {
  const processor = { onaudioprocess: null as null | ((ev: unknown) => void), connect: vi.fn(), disconnect: vi.fn() };
  const context = {
    sampleRate: 48_000,
    state: 'running',
    destination: {},
    createMediaStreamSource: () => ({ connect: vi.fn(), disconnect: vi.fn() }),
    createGain: () => ({ gain: { value: 1 }, connect: vi.fn(), disconnect: vi.fn() }),
    createScriptProcessor: () => processor,
    close: vi.fn(async () => {}),
  };
  const track = { stop: vi.fn() };
  const stream = { getTracks: () => [track] };
  const feed = (samples: Float32Array) =>
    processor.onaudioprocess?.({ inputBuffer: { getChannelData: () => samples } });
  return { context, stream, track, feed };
}

afterEach(() => vi.useRealTimers());

describe('SpeakerStream', () => {
  it('sends start with the token and format, then PCM16 frames of 100 ms; stop ends cleanly', async () => {
    const audio = fakeAudio();
    const sockets: FakeSocket[] = [];
    const statuses: string[] = [];
    const s = new SpeakerStream({
      sessionId: 's-1',
      token: async () => 'tok',
      languages: ['en'],
      onStatus: (st) => statuses.push(st),
      getUserMedia: async () => audio.stream as unknown as MediaStream,
      createAudioContext: () => audio.context as unknown as AudioContext,
      createSocket: (url) => {
        const so = new FakeSocket(url);
        sockets.push(so);
        return so;
      },
    });
    await s.start();
    expect(sockets[0].url).toBe(speakerChannelUrl('s-1'));
    expect(sockets[0].url.endsWith('/ws/sessions/s-1/transcription')).toBe(true);
    audio.feed(new Float32Array(4800)); // 100 ms before the socket is open: kept
    sockets[0].readyState = 1;
    sockets[0].onopen?.({});
    await Promise.resolve();
    await Promise.resolve();
    expect(JSON.parse(sockets[0].sent[0] as string)).toEqual({
      type: 'start',
      v: 1,
      token: 'tok',
      format: { encoding: 'pcm_s16le', sampleRate: 16000, channels: 1 },
      languages: ['en'],
    });
    expect((sockets[0].sent[1] as ArrayBuffer).byteLength).toBe(3200);
    audio.feed(new Float32Array(4800));
    expect((sockets[0].sent[2] as ArrayBuffer).byteLength).toBe(3200);
    sockets[0].onmessage?.({ data: '{"type":"ready","v":1,"streamId":"x","sampleRate":16000}' });
    expect(statuses).toContain('streaming');
    s.stop();
    expect(JSON.parse(sockets[0].sent.at(-1) as string)).toEqual({ type: 'stop', v: 1 });
    expect(sockets[0].closed).toBe(1000);
    expect(audio.track.stop).toHaveBeenCalled();
  });

  it('reconnects after an abnormal close; gives up on 4403 (not a speaker)', async () => {
    vi.useFakeTimers();
    const audio = fakeAudio();
    const sockets: FakeSocket[] = [];
    const statuses: string[] = [];
    const s = new SpeakerStream({
      sessionId: 's-1',
      token: async () => 'tok',
      onStatus: (st) => statuses.push(st),
      getUserMedia: async () => audio.stream as unknown as MediaStream,
      createAudioContext: () => audio.context as unknown as AudioContext,
      createSocket: (url) => {
        const so = new FakeSocket(url);
        sockets.push(so);
        return so;
      },
    });
    await s.start();
    sockets[0].onclose?.({ code: 1006, reason: '' });
    expect(statuses.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
    sockets[1].onmessage?.({ data: '{"type":"error","v":1,"code":"not_a_speaker","message":"only speakers on stage"}' });
    sockets[1].onclose?.({ code: 4403, reason: 'not a speaker' });
    expect(statuses.at(-1)).toBe('unavailable');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
    s.stop();
  });

  it('a refused microphone is reported, no socket opened', async () => {
    const sockets: FakeSocket[] = [];
    const statuses: [string, string | undefined][] = [];
    const s = new SpeakerStream({
      sessionId: 's-1',
      token: async () => 'tok',
      onStatus: (st, d) => statuses.push([st, d]),
      getUserMedia: async () => {
        throw new Error('Permission denied');
      },
      createSocket: (url) => {
        const so = new FakeSocket(url);
        sockets.push(so);
        return so;
      },
    });
    await s.start();
    expect(sockets).toHaveLength(0);
    expect(statuses.at(-1)).toEqual(['unavailable', 'Microphone unavailable: Permission denied']);
  });
});
