import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { formatDuration } from '../../format';
import { call, ProblemMessage } from '../chat/problem';
import type { Recording } from './types';
import { useAction } from './useAction';

const ACTIVE_STATES = new Set(['STARTING', 'RECORDING']);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

const STATE_TEXT: Record<string, string> = {
  STARTING: 'starting',
  RECORDING: 'in progress',
  STOPPING: 'stopping',
  ENDED: 'ended',
};
const OUTPUT_TEXT: Record<string, string> = {
  PENDING: 'waiting for the media server',
  STARTING: 'starting',
  ACTIVE: 'recording',
  ENDING: 'finishing',
  COMPLETE: 'ready',
  FAILED: 'failed',
  ABORTED: 'aborted',
  LIMIT_REACHED: 'stopped at the size limit',
};

/**
 * Recording (recording-service `/api/sessions/{ref}/recordings`): start, stop, the "Recording" indicator and the
 * session's recordings with each output's status; reloaded when `version` changes (the room core's recording state, on every `recording` frame).
 */
export function RecordingControls({ sessionRef, version }: { sessionRef: string; version?: unknown }) {
  const api = useApi();
  const [recordings, setRecordings] = useState<Recording[] | null>(null);
  const load = useAction();
  const runLoad = load.run;
  const action = useAction();

  const reload = useCallback(
    () =>
      runLoad(async () => {
        const list = await call(api.recording.GET('/api/sessions/{ref}/recordings', { params: { path: { ref: sessionRef } } }));
        setRecordings(list ?? []);
      }),
    [api, sessionRef, runLoad],
  );
  useEffect(() => {
    void reload();
  }, [reload, version]);

  const active = (recordings ?? []).find((r) => ACTIVE_STATES.has(r.state ?? ''));
  const start = () =>
    action
      .run(async () => {
        const started = await call(
          api.recording.POST('/api/sessions/{ref}/recordings', { params: { path: { ref: sessionRef } }, body: {} }),
        );
        if (started) {
          setRecordings((list) => [started, ...(list ?? []).filter((r) => r.id !== started.id)]);
        }
      })
      .then(() => void reload());
  const stop = () =>
    active &&
    action
      .run(async () => {
        const stopped = await call(
          api.recording.POST('/api/sessions/{ref}/recordings/{rid}/stop', {
            params: { path: { ref: sessionRef, rid: active.id ?? '' } },
          }),
        );
        if (stopped) {
          setRecordings((list) => (list ?? []).map((r) => (r.id === stopped.id ? stopped : r)));
        }
      })
      .then(() => void reload());

  return (
    <section className="host-section" aria-labelledby="host-recordings-heading">
      <h3 id="host-recordings-heading">Recordings</h3>
      <div className="host-actions">
        {active ? (
          <>
            <p className="host-recording" role="status">
              <span className="host-rec-dot" aria-hidden="true" />
              Recording
            </p>
            <button type="button" disabled={action.busy} onClick={() => void stop()}>
              Stop recording
            </button>
          </>
        ) : (
          <button type="button" disabled={action.busy} onClick={() => void start()}>
            Start recording
          </button>
        )}
      </div>
      <ProblemMessage problem={action.problem} />
      {recordings !== null && recordings.length === 0 && <p className="host-empty">No recordings yet.</p>}
      {recordings !== null && recordings.length > 0 && (
        <ul className="host-list" aria-label="Recordings of this session">
          {recordings.map((r) => (
            <li key={r.id} className="host-item">
              <div className="host-item-main">
                <strong>
                  {r.requestedAt ? timeFormat.format(new Date(r.requestedAt)) : '—'} · {r.trigger === 'AUTO' ? 'automatic' : 'manual'}
                </strong>
                <span className="host-meta">{STATE_TEXT[r.state ?? ''] ?? r.state}</span>
              </div>
              <ul className="host-outputs">
                {(r.outputs ?? []).map((o) => (
                  <li key={o.format}>
                    {o.format}: {OUTPUT_TEXT[o.status ?? ''] ?? o.status}
                    {o.durationMillis ? `, ${formatDuration(o.durationMillis)}` : ''}
                    {o.failureReason ? ` — ${o.failureReason}` : ''}
                    {!o.failureReason && o.lastError ? ` — retrying: ${o.lastError}` : ''}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <ProblemMessage problem={load.problem} />
    </section>
  );
}
