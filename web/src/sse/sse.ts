/**
 * Server-sent events read with fetch: EventSource cannot send an Authorization header, and the analytics stream
 * needs one. The parser follows the WHATWG "event stream interpretation": lines end in CRLF, LF or CR; a line
 * starting with ':' is a comment; `data` lines are joined with '\n'; a blank line dispatches; an event whose data
 * buffer is empty is not dispatched; `id` and `retry` carry over.
 */
export interface SseEvent {
  /** the `event` field, "message" when none was given */
  type: string;
  data: string;
  /** the last event id seen on the stream ("" when none) */
  lastEventId: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private lastEventId = '';
  private started = false;
  /** a CR ended the previous chunk: a LF at the start of the next one belongs to it */
  private pendingCr = false;
  /** the reconnection time the server asked for with `retry:`, in milliseconds */
  retryMillis: number | null = null;

  /** Feeds a decoded chunk; returns the events it completed. */
  feed(chunk: string): SseEvent[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
      }
    }
    if (this.pendingCr && chunk.startsWith('\n')) {
      chunk = chunk.slice(1);
    }
    this.pendingCr = false;
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') {
        continue;
      }
      const line = this.buffer.slice(start, i);
      if (c === '\r') {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === '\n') {
            i++;
          }
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
      const event = this.line(line);
      if (event) {
        events.push(event);
      }
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.retryMillis = Number(value);
        }
        break;
      default:
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const type = this.eventType || 'message';
    this.eventType = '';
    if (this.data.length === 0) {
      return null;
    }
    const data = this.data.join('\n');
    this.data = [];
    return { type, data, lastEventId: this.lastEventId };
  }
}

/** A response the stream will not recover from by reconnecting (401, 403, 404, ...): it stops. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'StreamRefused';
  }
}

export interface StreamOptions {
  /** the bearer token to send, or null for none; asked again on every (re)connection */
  token?: () => Promise<string | null>;
  onEvent: (event: SseEvent) => void;
  onOpen?: () => void;
  /** a dropped connection (it will reconnect) or a refusal (StreamRefused: it will not) */
  onError?: (error: unknown) => void;
  /** first reconnection delay; the server's `retry:` replaces it; doubles up to 30 s while failures repeat */
  retryMillis?: number;
  fetch?: typeof fetch;
}

const MAX_RETRY_MILLIS = 30_000;

/**
 * Follows an event stream at `url` until the returned function is called: reconnects after a dropped connection or
 * a 5xx (sending Last-Event-ID when the server gave ids), stops on any other 4xx.
 */
export function followEventStream(url: string, options: StreamOptions): () => void {
  const controller = new AbortController();
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let lastEventId = '';
  let delay = options.retryMillis ?? 3000;
  let failures = 0;

  const run = async () => {
    while (!controller.signal.aborted) {
      const parser = new SseParser();
      try {
        const headers = new Headers({ Accept: 'text/event-stream' });
        const token = options.token ? await options.token() : null;
        if (token) {
          headers.set('Authorization', `Bearer ${token}`);
        }
        if (lastEventId) {
          headers.set('Last-Event-ID', lastEventId);
        }
        const response = await doFetch(url, { headers, signal: controller.signal, cache: 'no-store' });
        if (!response.ok) {
          const detail = await problemDetail(response);
          if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
            throw new StreamRefused(response.status, detail);
          }
          throw new Error(detail);
        }
        if (!response.body) {
          throw new Error('the response has no body');
        }
        failures = 0;
        options.onOpen?.();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          for (const event of parser.feed(value)) {
            lastEventId = event.lastEventId;
            options.onEvent(event);
          }
        }
        throw new Error('the stream ended');
      } catch (error) {
        if (controller.signal.aborted) {
          return;
        }
        options.onError?.(error);
        if (error instanceof StreamRefused) {
          return;
        }
        if (parser.retryMillis !== null) {
          delay = parser.retryMillis;
        }
        failures++;
        await sleep(Math.min(delay * 2 ** Math.max(0, failures - 1), MAX_RETRY_MILLIS), controller.signal);
      }
    }
  };
  void run();
  return () => controller.abort();
}

/** The `detail` (else `title`) of an RFC 9457 problem body, else the HTTP status. */
export async function problemDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: string; title?: string };
    if (body?.detail || body?.title) {
      return (body.detail ?? body.title) as string;
    }
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

function sleep(millis: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, millis);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
