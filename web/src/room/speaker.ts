/**
 * Speaker captions: while you are on stage with your microphone on, your microphone goes to transcription-service's
 * speaker channel `/ws/sessions/{id}/transcription` (transcription-service/PROTOCOL.md) as PCM16 mono 16 kHz in
 * ~100 ms binary frames, after a `start` frame with the token. Independent of LiveKit: captions work while the media
 * server is unreachable. The words come back to everyone as `caption` frames on the room channel.
 */
import type { WebSocketLike } from './channel';
import workletUrl from './pcm-tap.worklet.js?url&no-inline';

export const TARGET_RATE = 16_000;
/** 100 ms at 16 kHz */
export const CHUNK_SAMPLES = 1600;
/** audio kept while the socket is away (then the oldest goes) */
const MAX_BUFFERED_CHUNKS = 50;

/** Turns float samples at `inputRate` into PCM16 at 16 kHz, averaging each output sample's input span. */
export class Downsampler {
  private rest: Float32Array = new Float32Array(0);
  private pos = 0;
  private readonly ratio: number;

  constructor(inputRate: number, outputRate: number = TARGET_RATE) {
    this.ratio = inputRate / outputRate;
  }

  push(input: Float32Array): Int16Array {
    const buf = new Float32Array(this.rest.length + input.length);
    buf.set(this.rest, 0);
    buf.set(input, this.rest.length);
    const out: number[] = [];
    let pos = this.pos;
    const ratio = this.ratio;
    while (pos + Math.max(ratio, 1) <= buf.length) {
      const start = Math.floor(pos);
      const end = Math.max(start + 1, Math.floor(pos + ratio));
      let sum = 0;
      for (let i = start; i < end; i++) {
        sum += buf[i];
      }
      out.push(toInt16(sum / (end - start)));
      pos += ratio;
    }
    const consumed = Math.min(Math.floor(pos), buf.length);
    this.rest = buf.slice(consumed);
    this.pos = pos - consumed;
    return Int16Array.from(out);
  }
}

export function toInt16(sample: number): number {
  const s = Math.max(-1, Math.min(1, sample));
  return s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
}

/** Collects PCM16 samples into fixed chunks, as little-endian bytes. */
export class Chunker {
  private buf = new Int16Array(CHUNK_SAMPLES);
  private fill = 0;

  push(samples: Int16Array): ArrayBuffer[] {
    const chunks: ArrayBuffer[] = [];
    let i = 0;
    while (i < samples.length) {
      const n = Math.min(CHUNK_SAMPLES - this.fill, samples.length - i);
      this.buf.set(samples.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === CHUNK_SAMPLES) {
        chunks.push(littleEndian(this.buf));
        this.fill = 0;
      }
    }
    return chunks;
  }
}

function littleEndian(samples: Int16Array): ArrayBuffer {
  const out = new ArrayBuffer(samples.length * 2);
  const view = new DataView(out);
  for (let i = 0; i < samples.length; i++) {
    view.setInt16(i * 2, samples[i], true);
  }
  return out;
}


export type SpeakerStatus = 'idle' | 'starting' | 'streaming' | 'reconnecting' | 'unavailable';

export interface SpeakerOptions {
  sessionId: string;
  token: () => Promise<string | null>;
  languages?: string[];
  onStatus?: (status: SpeakerStatus, detail?: string) => void;
  createSocket?: (url: string) => WebSocketLike & { binaryType?: string; send(data: string | ArrayBuffer): void };
  getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream>;
  createAudioContext?: () => AudioContext;
}

export function speakerChannelUrl(sessionId: string, origin: { protocol: string; host: string } = location): string {
  const scheme = origin.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${origin.host}/ws/sessions/${encodeURIComponent(sessionId)}/transcription`;
}

/** Close codes after which retrying cannot help (PROTOCOL.md of transcription-service). */
const FINAL = new Set([1000, 1009, 4400, 4401, 4403, 4404]);

export class SpeakerStream {
  private socket: (WebSocketLike & { send(data: string | ArrayBuffer): void }) | null = null;
  private stream: MediaStream | null = null;
  private context: AudioContext | null = null;
  private nodes: AudioNode[] = [];
  private queue: ArrayBuffer[] = [];
  private started = false;
  private stopped = false;
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private lastError: string | null = null;

  constructor(private readonly opts: SpeakerOptions) {}

  private status(s: SpeakerStatus, detail?: string) {
    this.opts.onStatus?.(s, detail);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.status('starting');
    try {
      await this.capture();
    } catch (e) {
      this.status('unavailable', `Microphone unavailable: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.open();
  }

  private async capture(): Promise<void> {
    const gum = this.opts.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
    const stream = await gum({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    if (this.stopped) {
      stream.getTracks().forEach((t) => t.stop());
      return;
    }
    this.stream = stream;
    const context = this.opts.createAudioContext?.() ?? new AudioContext();
    this.context = context;
    if (context.state === 'suspended') {
      await context.resume().catch(() => undefined);
    }
    const downsampler = new Downsampler(context.sampleRate);
    const chunker = new Chunker();
    const onSamples = (samples: Float32Array) => {
      for (const chunk of chunker.push(downsampler.push(samples))) {
        this.sendAudio(chunk);
      }
    };
    const source = context.createMediaStreamSource(stream);
    const sink = context.createGain();
    sink.gain.value = 0;
    sink.connect(context.destination);
    let tap: AudioNode | null = null;
    if (context.audioWorklet && typeof AudioWorkletNode !== 'undefined') {
      try {
        await context.audioWorklet.addModule(workletUrl);
        const node = new AudioWorkletNode(context, 'livestage-pcm-tap', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
        node.port.onmessage = (ev: MessageEvent<Float32Array>) => onSamples(ev.data);
        tap = node;
      } catch {
        tap = null; // the worklet could not load: the ScriptProcessor below does the same job
      }
    }
    if (!tap) {
      const node = context.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = (ev) => onSamples(ev.inputBuffer.getChannelData(0).slice(0));
      tap = node;
    }
    source.connect(tap);
    tap.connect(sink);
    this.nodes = [source, tap, sink];
  }

  private sendAudio(chunk: ArrayBuffer): void {
    const socket = this.socket;
    if (socket && socket.readyState === 1 && this.started) {
      socket.send(chunk);
      return;
    }
    this.queue.push(chunk);
    if (this.queue.length > MAX_BUFFERED_CHUNKS) {
      this.queue.shift();
    }
  }

  private open(): void {
    if (this.stopped) {
      return;
    }
    const create =
      this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike & { send(d: string | ArrayBuffer): void });
    const socket = create(speakerChannelUrl(this.opts.sessionId));
    (socket as { binaryType?: string }).binaryType = 'arraybuffer';
    this.socket = socket;
    this.started = false;
    this.lastError = null;
    socket.onopen = () => {
      void this.opts.token().then((token) => {
        if (this.socket !== socket || socket.readyState !== 1) {
          return;
        }
        const start: Record<string, unknown> = {
          type: 'start',
          v: 1,
          format: { encoding: 'pcm_s16le', sampleRate: TARGET_RATE, channels: 1 },
        };
        if (token) {
          start.token = token;
        }
        if (this.opts.languages && this.opts.languages.length > 0) {
          start.languages = this.opts.languages.slice(0, 5);
        }
        socket.send(JSON.stringify(start));
        this.started = true;
        for (const chunk of this.queue.splice(0)) {
          socket.send(chunk);
        }
      });
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        return;
      }
      try {
        const frame = JSON.parse(ev.data) as { type?: string; code?: string; message?: string; reason?: string };
        if (frame.type === 'ready') {
          this.attempts = 0;
          this.status('streaming');
        } else if (frame.type === 'error') {
          this.lastError = frame.code ?? 'error';
          this.status('unavailable', frame.message ?? frame.code);
        } else if (frame.type === 'stopped') {
          this.lastError = 'stopped';
          this.status('idle', frame.reason);
        }
      } catch {
        // not JSON: ignore
      }
    };
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.started = false;
      if (this.stopped) {
        return;
      }
      if (FINAL.has(ev.code) || this.lastError === 'not_configured') {
        this.status('unavailable', ev.reason || this.lastError || `closed ${ev.code}`);
        return;
      }
      const delay = Math.min(15_000, 1000 * 2 ** this.attempts);
      this.attempts += 1;
      this.status('reconnecting', ev.reason || undefined);
      this.retry = setTimeout(() => {
        this.retry = null;
        this.open();
      }, delay);
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState === 1) {
      try {
        socket.send(JSON.stringify({ type: 'stop', v: 1 }));
      } catch {
        // closing anyway
      }
      socket.close(1000, 'stopped');
    } else {
      socket?.close();
    }
    for (const n of this.nodes) {
      n.disconnect();
    }
    this.nodes = [];
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.queue = [];
    this.status('idle');
  }
}
