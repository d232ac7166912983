import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { call, ProblemMessage } from '../chat/problem';
import type { Participant } from './types';
import { useAction } from './useAction';

const ROLE_LABELS: Record<string, string> = { HOST: 'Host', COHOST: 'Cohost', GUEST: 'Guest', VIEWER: 'Listener' };

/**
 * The participants present (session-service `GET /api/sessions/{id}/participants`, stage first), reloaded when
 * `version` changes (the room core bumps it on `system` frames) and after each action; per participant: promote to
 * cohost, move to the audience, mute, ask to unmute, remove.
 */
export function Participants({
  sessionId,
  youUserId,
  youRole,
  version,
  refresh,
}: {
  sessionId: string;
  youUserId: string | null;
  youRole: string;
  version?: unknown;
  /** bumped after a stage decision */
  refresh?: number;
}) {
  const api = useApi();
  const [people, setPeople] = useState<Participant[] | null>(null);
  const load = useAction();
  const runLoad = load.run;

  const reload = useCallback(
    () =>
      runLoad(async () => {
        const list = await call(api.sessions.GET('/api/sessions/{id}/participants', { params: { path: { id: sessionId } } }));
        setPeople(list ?? []);
      }),
    [api, sessionId, runLoad],
  );
  useEffect(() => {
    void reload();
  }, [reload, version, refresh]);

  const present = (people ?? []).filter((p) => !p.leftAt);
  return (
    <section className="host-section" aria-labelledby="host-people-heading">
      <h3 id="host-people-heading">Participants ({present.length})</h3>
      <ul className="host-list" aria-label="Participants">
        {present.map((p) => (
          <ParticipantItem
            key={p.identity ?? p.userId}
            sessionId={sessionId}
            participant={p}
            self={p.userId === youUserId}
            youRole={youRole}
            onChanged={() => void reload()}
          />
        ))}
      </ul>
      <ProblemMessage problem={load.problem} />
    </section>
  );
}

function ParticipantItem({
  sessionId,
  participant,
  self,
  youRole,
  onChanged,
}: {
  sessionId: string;
  participant: Participant;
  self: boolean;
  youRole: string;
  onChanged: () => void;
}) {
  const api = useApi();
  const action = useAction();
  const name = participant.name ?? participant.userId ?? 'Someone';
  const identity = participant.identity ?? participant.userId ?? '';
  const path = { id: sessionId, identity };
  const role = participant.role ?? 'VIEWER';
  // nobody acts on themselves or on the host; a cohost cannot act on another cohost
  const actionable = !self && role !== 'HOST' && !(youRole === 'COHOST' && role === 'COHOST');
  const onStage = participant.onStage === true || role === 'GUEST' || role === 'COHOST';

  const act = (request: () => Promise<unknown>) => action.run(request).then((ok) => ok && onChanged());
  const setRole = (to: 'COHOST' | 'VIEWER') =>
    act(() => call(api.sessions.POST('/api/sessions/{id}/participants/{identity}/role', { params: { path }, body: { role: to } })));
  const mute = () =>
    act(() =>
      call(api.sessions.POST('/api/sessions/{id}/participants/{identity}/mute', { params: { path }, body: { audio: true, video: false } })),
    );
  const askUnmute = () =>
    act(() =>
      call(
        api.sessions.POST('/api/sessions/{id}/participants/{identity}/unmute-request', {
          params: { path },
          body: { audio: true, video: false },
        }),
      ),
    );
  const remove = () => act(() => call(api.sessions.DELETE('/api/sessions/{id}/participants/{identity}', { params: { path } })));

  const state = [
    ROLE_LABELS[role] ?? role,
    onStage ? 'on stage' : null,
    onStage && participant.audioMuted ? 'microphone muted' : null,
    self ? 'you' : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <li className="host-item">
      <div className="host-item-main">
        <strong>{name}</strong>
        <span className="host-meta">{state}</span>
      </div>
      {actionable && (
        <div className="host-actions">
          {role !== 'COHOST' && (
            <button type="button" disabled={action.busy} aria-label={`Promote ${name}`} onClick={() => void setRole('COHOST')}>
              Promote
            </button>
          )}
          {(onStage || role !== 'VIEWER') && (
            <button type="button" disabled={action.busy} aria-label={`Move ${name} to audience`} onClick={() => void setRole('VIEWER')}>
              To audience
            </button>
          )}
          {onStage && (
            <>
              <button type="button" disabled={action.busy} aria-label={`Mute ${name}`} onClick={() => void mute()}>
                Mute
              </button>
              <button type="button" disabled={action.busy} aria-label={`Ask ${name} to unmute`} onClick={() => void askUnmute()}>
                Ask to unmute
              </button>
            </>
          )}
          <button type="button" className="host-danger" disabled={action.busy} aria-label={`Remove ${name}`} onClick={() => void remove()}>
            Remove
          </button>
        </div>
      )}
      <ProblemMessage problem={action.problem} />
    </li>
  );
}
