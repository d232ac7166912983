import { afterEach, describe, expect, it, vi } from 'vitest';
import { followEventStream, SseParser, StreamRefused, type SseEvent } from './sse';

const feedAll = (chunks: string[]) => {
  const parser = new SseParser();
  return chunks.flatMap((c) => parser.feed(c));
};

describe('SseParser', () => {
  it('parses a Quarkus SSE stream of JSON elements', () => {
    expect(feedAll(['data:{"a":1}\n\ndata:{"a":2}\n\n'])).toEqual([
      { type: 'message', data: '{"a":1}', lastEventId: '' },
      { type: 'message', data: '{"a":2}', lastEventId: '' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const stream = 'event: stats\ndata: {"x": "a:b"}\nid: 7\n\n: keep-alive\n\ndata: second\r\n\r\n';
    const whole = feedAll([stream]);
    expect(whole).toEqual([
      { type: 'stats', data: '{"x": "a:b"}', lastEventId: '7' },
      { type: 'message', data: 'second', lastEventId: '7' },
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(feedAll([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(feedAll(stream.split(''))).toEqual(whole);
  });

  it('joins data lines with a newline and strips one leading space only', () => {
    expect(feedAll(['data:  two spaces\ndata:x\ndata\n\n'])).toEqual([
      { type: 'message', data: ' two spaces\nx\n', lastEventId: '' },
    ]);
  });

  it('accepts CR alone as a line end, also when a CRLF is split across chunks', () => {
    expect(feedAll(['data: a\r\rdata: b\r', '\n\r\n'])).toEqual([
      { type: 'message', data: 'a', lastEventId: '' },
      { type: 'message', data: 'b', lastEventId: '' },
    ]);
  });

  it('skips comments, unknown fields, events without data, and an unfinished event', () => {
    expect(feedAll([':hello\nfoo: bar\n\nevent: x\n\ndata: last'])).toEqual([]);
  });

  it('drops a BOM at the start, reads retry, ignores an id with NUL', () => {
    const parser = new SseParser();
    expect(parser.feed('\uFEFFretry: 1500\nid: 1\ndata: a\n\nid: bad\u0000\ndata: b\n\nretry: soon\n\n')).toEqual([
      { type: 'message', data: 'a', lastEventId: '1' },
      { type: 'message', data: 'b', lastEventId: '1' },
    ]);
    expect(parser.retryMillis).toBe(1500);
  });
});

/** A streaming Response whose body yields `chunks` and then ends. */
function streamResponse(chunks: string[], status = 200): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) {
        controller.enqueue(encoder.encode(c));
      }
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream' } });
}

describe('followEventStream', () => {
  afterEach(() => vi.useRealTimers());

  it('sends the bearer token, delivers events, and reconnects with Last-Event-ID when the stream ends', async () => {
    const requests: Request[] = [];
    const events: SseEvent[] = [];
    let stop = () => {};
    const fetchStub = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(url as string, init));
      if (requests.length === 1) {
        return streamResponse(['id: 41\nda', 'ta: {"n":1}\n\n']);
      }
      return streamResponse(['id: 42\ndata: {"n":2}\n\n']);
    });
    await new Promise<void>((resolve) => {
      stop = followEventStream('http://gateway.test/api/sessions/s1/analytics/events', {
        token: async () => 'tok-1',
        fetch: fetchStub as unknown as typeof fetch,
        retryMillis: 1,
        onEvent: (e) => {
          events.push(e);
          if (events.length === 2) {
            resolve();
          }
        },
      });
    });
    stop();
    expect(events.map((e) => JSON.parse(e.data).n)).toEqual([1, 2]);
    expect(requests[0].headers.get('Authorization')).toBe('Bearer tok-1');
    expect(requests[0].headers.get('Accept')).toBe('text/event-stream');
    expect(requests[0].headers.has('Last-Event-ID')).toBe(false);
    expect(requests[1].headers.get('Last-Event-ID')).toBe('41');
  });

  it('sends no Authorization header when there is no token', async () => {
    const fetchStub = vi.fn(async () => streamResponse([], 404));
    await new Promise<void>((resolve) => {
      followEventStream('/events', { token: async () => null, fetch: fetchStub, onEvent: () => {}, onError: () => resolve() });
    });
    const init = (fetchStub.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(new Headers(init.headers).has('Authorization')).toBe(false);
  });

  it('stops on a 4xx with the problem detail, without reconnecting', async () => {
    const fetchStub = vi.fn(
      async () =>
        new Response(JSON.stringify({ title: 'Not Found', detail: 'no session s1' }), {
          status: 404,
          headers: { 'Content-Type': 'application/problem+json' },
        }),
    );
    const error = await new Promise<unknown>((resolve) => {
      followEventStream('/events', { fetch: fetchStub, retryMillis: 1, onEvent: () => {}, onError: resolve });
    });
    expect(error).toBeInstanceOf(StreamRefused);
    expect((error as StreamRefused).status).toBe(404);
    expect((error as StreamRefused).message).toBe('no session s1');
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchStub).toHaveBeenCalledTimes(1);
  });

  it('retries a 503 and stops fetching once stopped', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = followEventStream('/events', {
        fetch: (async () => {
          calls++;
          return new Response('down', { status: 503 });
        }) as typeof fetch,
        retryMillis: 1,
        onEvent: () => {},
        onError: (e) => {
          errors.push(e);
          if (errors.length === 3) {
            resolve();
          }
        },
      });
    });
    stop();
    const seen = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(seen);
    expect(errors.every((e) => !(e instanceof StreamRefused))).toBe(true);
  });
});
