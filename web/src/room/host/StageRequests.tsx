import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { call, ProblemMessage } from '../chat/problem';
import type { StageRequest } from './types';
import { useAction, waitingFor } from './useAction';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The stage queue (session-service `GET /api/sessions/{id}/stage-requests`), in order, reloaded on change of
 * `version` (the room core's queue, on every `stage` frame); approve or reject each request.
 */
export function StageRequests({
  sessionId,
  version,
  onDecided,
}: {
  sessionId: string;
  version?: unknown;
  /** a request was approved or rejected (the participants list reloads) */
  onDecided?: () => void;
}) {
  const api = useApi();
  const [queue, setQueue] = useState<StageRequest[] | null>(null);
  const load = useAction();
  const runLoad = load.run;
  const [now, setNow] = useState(() => Date.now());

  const reload = useCallback(
    () =>
      runLoad(async () => {
        const page = await call(
          api.sessions.GET('/api/sessions/{id}/stage-requests', { params: { path: { id: sessionId } } }),
        );
        const items = (page?.items ?? []).filter((r) => r.status === 'PENDING');
        items.sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || String(a.requestedAt).localeCompare(String(b.requestedAt)));
        setQueue(items);
      }),
    [api, sessionId, runLoad],
  );

  useEffect(() => {
    void reload();
  }, [reload, version]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section className="host-section" aria-labelledby="host-stage-heading">
      <h3 id="host-stage-heading">Stage requests</h3>
      <ol className="host-list" aria-label="Stage requests">
        {(queue ?? []).map((request) => (
          <StageRequestItem
            key={request.id}
            sessionId={sessionId}
            request={request}
            now={now}
            onDone={() => {
              setQueue((q) => (q ?? []).filter((r) => r.id !== request.id));
              onDecided?.();
              void reload();
            }}
          />
        ))}
      </ol>
      {queue !== null && queue.length === 0 && <p className="host-empty">No raised hands.</p>}
      <ProblemMessage problem={load.problem} />
    </section>
  );
}

function StageRequestItem({
  sessionId,
  request,
  now,
  onDone,
}: {
  sessionId: string;
  request: StageRequest;
  now: number;
  onDone: () => void;
}) {
  const api = useApi();
  const action = useAction();
  const name = request.name ?? request.userId ?? 'Someone';
  const decide = (decision: 'approve' | 'reject') =>
    action
      .run(() =>
        call(
          decision === 'approve'
            ? api.sessions.POST('/api/sessions/{id}/stage-requests/{requestId}/approve', {
                params: { path: { id: sessionId, requestId: request.id ?? '' } },
              })
            : api.sessions.POST('/api/sessions/{id}/stage-requests/{requestId}/reject', {
                params: { path: { id: sessionId, requestId: request.id ?? '' } },
              }),
        ),
      )
      .then((ok) => ok && onDone());
  return (
    <li className="host-item">
      <div className="host-item-main">
        <strong>{name}</strong>
        <span className="host-meta">
          {request.xp ?? 0} XP · waiting since{' '}
          <time dateTime={request.requestedAt}>{request.requestedAt ? timeFormat.format(new Date(request.requestedAt)) : '—'}</time>{' '}
          ({waitingFor(request.requestedAt, now)})
        </span>
      </div>
      <div className="host-actions">
        <button type="button" disabled={action.busy} onClick={() => void decide('approve')} aria-label={`Approve ${name}`}>
          Approve
        </button>
        <button type="button" disabled={action.busy} onClick={() => void decide('reject')} aria-label={`Reject ${name}`}>
          Reject
        </button>
      </div>
      <ProblemMessage problem={action.problem} />
    </li>
  );
}
