import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext';
import { useAuth } from '../../auth/auth';
import { followEventStream, StreamRefused } from '../../sse/sse';
import { call, ProblemMessage, type ApiProblem } from '../chat/problem';
import type { Ingress, SavedTarget, StreamStatus, TargetKind } from './types';
import { useAction } from './useAction';

const MASK = '••••••••••••';
const KINDS: { kind: TargetKind; label: string }[] = [
  { kind: 'YOUTUBE', label: 'YouTube' },
  { kind: 'TWITCH', label: 'Twitch' },
  { kind: 'TELEGRAM', label: 'Telegram' },
  { kind: 'RTMP', label: 'Other RTMP server' },
];
/** restream statuses with the target still in the stream (FAILED is retried until stopped) */
const RUNNING = new Set(['PENDING', 'STARTING', 'ACTIVE', 'FAILED', 'RETRYING']);

/**
 * The live stream of a session (recording-service, ADR 0015): the status, followed over the stream's server-sent
 * events; for the host, the OBS ingest (URL and key, masked until revealed) and restreams to saved targets.
 */
export function StreamControls({ sessionRef, isHost }: { sessionRef: string; isHost: boolean }) {
  const api = useApi();
  const { accessToken } = useAuth();
  const [status, setStatus] = useState<StreamStatus | null>(null);
  const [statusProblem, setStatusProblem] = useState<ApiProblem | null>(null);
  const hls = useAction();

  // the status at once and on every change (`event: stream`, each the whole status)
  useEffect(() => {
    const url = `/api/sessions/${encodeURIComponent(sessionRef)}/stream/events`;
    return followEventStream(url, {
      token: accessToken,
      onEvent: (event) => {
        if (event.type !== 'stream') {
          return;
        }
        try {
          const next = JSON.parse(event.data) as StreamStatus;
          setStatus((current) => (current && (current.version ?? 0) > (next.version ?? 0) ? current : next));
          setStatusProblem(null);
        } catch {
          // a malformed event is skipped; the next one carries the whole status again
        }
      },
      onError: (error) => {
        if (error instanceof StreamRefused) {
          setStatusProblem({ message: `Stream status unavailable: ${error.detail}` });
        }
      },
    });
  }, [sessionRef, accessToken]);

  const hlsStatus = status?.hls?.status ?? 'off';
  const hlsRunning = hlsStatus === 'live' || hlsStatus === 'starting';
  const toggleHls = () =>
    hls.run(async () => {
      const next = await call(
        hlsRunning
          ? api.recording.POST('/api/sessions/{ref}/stream/stop', { params: { path: { ref: sessionRef } } })
          : api.recording.POST('/api/sessions/{ref}/stream/start', { params: { path: { ref: sessionRef } } }),
      );
      if (next) {
        setStatus(next);
      }
    });

  return (
    <section className="host-section" aria-labelledby="host-stream-heading">
      <h3 id="host-stream-heading">Live stream</h3>
      <p className="host-meta" aria-live="polite">
        {status
          ? `Stream ${status.status ?? 'offline'} · HLS ${hlsStatus}${status.obs?.connected ? ' · OBS connected' : ''}`
          : 'Loading the stream status…'}
        {status?.obs?.connected && status.obs.resolution ? ` (${status.obs.resolution}, ${status.obs.videoBitrateKbps ?? 0} kbps)` : ''}
      </p>
      <ProblemMessage problem={statusProblem} />
      {isHost && (
        <>
          <div className="host-actions">
            <button type="button" disabled={hls.busy} onClick={() => void toggleHls()}>
              {hlsRunning ? 'Stop HLS stream' : 'Start HLS stream'}
            </button>
          </div>
          <ProblemMessage problem={hls.problem} />
          <ObsIngest sessionRef={sessionRef} />
          <RestreamTargets sessionRef={sessionRef} status={status} onStatus={setStatus} />
        </>
      )}
    </section>
  );
}

/** OBS ingest: create, the server URL, the key masked until "Show key", rotate, delete. The key stays in memory only. */
export function ObsIngest({ sessionRef }: { sessionRef: string }) {
  const api = useApi();
  const [ingress, setIngress] = useState<Ingress | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const runAction = action.run;
  const keyId = useId();

  useEffect(() => {
    let stale = false;
    void api.recording
      .GET('/api/sessions/{ref}/stream/ingress', { params: { path: { ref: sessionRef } } })
      .then(({ data, response }) => {
        if (!stale) {
          setIngress(response.ok && data ? data : null);
          setLoaded(true);
        }
      })
      .catch(() => !stale && setLoaded(true));
    return () => {
      stale = true;
    };
  }, [api, sessionRef]);

  const create = () =>
    runAction(async () => {
      const created = await call(api.recording.POST('/api/sessions/{ref}/stream/ingress', { params: { path: { ref: sessionRef } } }));
      setIngress(created ?? null);
      setRevealed(false);
      setNotice(null);
    });
  const rotate = () =>
    runAction(async () => {
      const rotated = await call(
        api.recording.POST('/api/sessions/{ref}/stream/ingress/rotate', { params: { path: { ref: sessionRef } } }),
      );
      setIngress(rotated ?? null);
      setRevealed(false);
      setNotice(
        rotated?.interruptedLivePush
          ? 'New key created. The live OBS push on the old key was stopped: put the new key into OBS.'
          : 'New key created: put it into OBS.',
      );
    });
  const remove = () =>
    runAction(async () => {
      await call(api.recording.DELETE('/api/sessions/{ref}/stream/ingress', { params: { path: { ref: sessionRef } } }));
      setIngress(null);
      setRevealed(false);
      setNotice('OBS ingest deleted.');
    });
  const copy = useCallback(async () => {
    if (ingress?.streamKey && navigator.clipboard) {
      await navigator.clipboard.writeText(ingress.streamKey);
      setNotice('Stream key copied.');
    }
  }, [ingress]);

  return (
    <div className="host-sub" role="group" aria-label="OBS ingest">
      <h4>OBS ingest</h4>
      {!loaded ? (
        <p className="host-meta">Loading…</p>
      ) : ingress ? (
        <dl className="host-ingress">
          <dt>Server</dt>
          <dd>
            <code>{ingress.rtmpUrl}</code>
          </dd>
          <dt id={keyId}>OBS stream key</dt>
          <dd>
            <code aria-labelledby={keyId} data-testid="obs-stream-key">
              {revealed ? (
                ingress.streamKey
              ) : (
                <>
                  <span aria-hidden="true">{MASK}</span>
                  <span className="host-sr">hidden</span>
                </>
              )}
            </code>
            <span className="host-actions">
              <button type="button" onClick={() => setRevealed((r) => !r)}>
                {revealed ? 'Hide key' : 'Show key'}
              </button>
              <button type="button" onClick={() => void copy()}>
                Copy key
              </button>
              <button type="button" disabled={action.busy} onClick={() => void rotate()}>
                Rotate key
              </button>
              <button type="button" className="host-danger" disabled={action.busy} onClick={() => void remove()}>
                Delete OBS ingest
              </button>
            </span>
          </dd>
        </dl>
      ) : (
        <button type="button" disabled={action.busy} onClick={() => void create()}>
          Create OBS ingest
        </button>
      )}
      {notice && (
        <p className="host-meta" role="status">
          {notice}
        </p>
      )}
      <ProblemMessage problem={action.problem} />
    </div>
  );
}

/** The host's saved targets with this session's restream status; start/stop each; save a new one. */
export function RestreamTargets({
  sessionRef,
  status,
  onStatus,
}: {
  sessionRef: string;
  status: StreamStatus | null;
  onStatus: (status: StreamStatus) => void;
}) {
  const api = useApi();
  const [targets, setTargets] = useState<SavedTarget[] | null>(null);
  const load = useAction();
  const runLoad = load.run;

  const reload = useCallback(
    () =>
      runLoad(async () => {
        const list = await call(api.recording.GET('/api/me/restream-targets'));
        setTargets(list ?? []);
      }),
    [api, runLoad],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <div className="host-sub" role="group" aria-labelledby="host-restream-heading">
      <h4 id="host-restream-heading">Restream targets</h4>
      <ul className="host-list" aria-label="Restream targets">
        {(targets ?? []).map((t) => (
          <TargetItem
            key={t.id}
            sessionRef={sessionRef}
            target={t}
            live={status?.targets?.find((s) => s.targetId === t.id) ?? null}
            onStatus={onStatus}
            onDeleted={() => setTargets((list) => (list ?? []).filter((x) => x.id !== t.id))}
          />
        ))}
      </ul>
      {targets !== null && targets.length === 0 && <p className="host-empty">No saved targets yet.</p>}
      <ProblemMessage problem={load.problem} />
      <AddTarget onSaved={(t) => setTargets((list) => [...(list ?? []), t])} />
    </div>
  );
}

function targetStatusText(live: NonNullable<StreamStatus['targets']>[number] | null): string {
  if (!live || !live.status) {
    return 'not streaming';
  }
  const s = live.status.toUpperCase();
  if (s === 'FAILED') {
    return `FAILED${live.error ? `: ${live.error}` : ''}${live.retries ? ` (retry ${live.retries})` : ''}`;
  }
  return live.status;
}

function TargetItem({
  sessionRef,
  target,
  live,
  onStatus,
  onDeleted,
}: {
  sessionRef: string;
  target: SavedTarget;
  live: NonNullable<StreamStatus['targets']>[number] | null;
  onStatus: (status: StreamStatus) => void;
  onDeleted: () => void;
}) {
  const api = useApi();
  const action = useAction();
  const name = target.name ?? target.kind ?? 'target';
  const running = live?.status ? RUNNING.has(live.status.toUpperCase()) : false;
  const path = { ref: sessionRef, targetId: target.id ?? '' };
  const toggle = () =>
    action.run(async () => {
      const next = await call(
        running
          ? api.recording.DELETE('/api/sessions/{ref}/stream/targets/{targetId}', { params: { path } })
          : api.recording.POST('/api/sessions/{ref}/stream/targets/{targetId}', { params: { path } }),
      );
      if (next) {
        onStatus(next);
      }
    });
  const remove = () =>
    action
      .run(() => call(api.recording.DELETE('/api/me/restream-targets/{id}', { params: { path: { id: target.id ?? '' } } })))
      .then((ok) => ok && onDeleted());
  const failed = live?.status?.toUpperCase() === 'FAILED';
  return (
    <li className="host-item">
      <div className="host-item-main">
        <strong>{name}</strong>
        <span className="host-meta">
          {KINDS.find((k) => k.kind === target.kind)?.label ?? target.kind}
          {target.autoStart ? ' · starts automatically' : ''} ·{' '}
          <span className={failed ? 'host-failed' : undefined}>{targetStatusText(live)}</span>
        </span>
      </div>
      <div className="host-actions">
        <button type="button" disabled={action.busy} onClick={() => void toggle()}>
          {running ? `Stop restream to ${name}` : `Restream to ${name}`}
        </button>
        {!running && (
          <button type="button" className="host-danger" disabled={action.busy} onClick={() => void remove()}>
            {`Delete ${name}`}
          </button>
        )}
      </div>
      <ProblemMessage problem={action.problem} />
    </li>
  );
}

function AddTarget({ onSaved }: { onSaved: (target: SavedTarget) => void }) {
  const api = useApi();
  const action = useAction();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TargetKind>('YOUTUBE');
  const [serverUrl, setServerUrl] = useState('');
  const [streamKey, setStreamKey] = useState('');
  const [autoStart, setAutoStart] = useState(false);
  const id = useId();
  const field = action.problem?.field ?? '';
  const invalid = (f: string) => (field === f || field.endsWith(`.${f}`) ? true : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action
      .run(async () => {
        const saved = await call(
          api.recording.POST('/api/me/restream-targets', {
            body: { name: name.trim(), kind, serverUrl: serverUrl.trim() || undefined, streamKey, autoStart },
          }),
        );
        if (saved) {
          onSaved(saved);
        }
      })
      .then((ok) => {
        if (ok) {
          setName('');
          setServerUrl('');
          setStreamKey('');
          setAutoStart(false);
        }
      });
  };

  return (
    <details className="host-add-target">
      <summary>Add a restream target</summary>
      <form onSubmit={submit} className="host-form">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required aria-invalid={invalid('name')} />
        <label htmlFor={`${id}-kind`}>Service</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as TargetKind)} aria-invalid={invalid('kind')}>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-server`}>Server URL</label>
        <input
          id={`${id}-server`}
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
          placeholder={kind === 'TELEGRAM' ? 'rtmps://dc4-1.rtmp.t.me/s/' : kind === 'RTMP' ? 'rtmp://…' : 'optional'}
          aria-invalid={invalid('serverUrl')}
        />
        <label htmlFor={`${id}-key`}>Target stream key</label>
        <input
          id={`${id}-key`}
          type="password"
          autoComplete="off"
          value={streamKey}
          onChange={(e) => setStreamKey(e.target.value)}
          required
          aria-invalid={invalid('streamKey')}
        />
        <label className="host-check">
          <input type="checkbox" checked={autoStart} onChange={(e) => setAutoStart(e.target.checked)} /> Restream every
          session of mine automatically
        </label>
        <button type="submit" disabled={action.busy}>
          Save target
        </button>
      </form>
      <ProblemMessage problem={action.problem} />
    </details>
  );
}
