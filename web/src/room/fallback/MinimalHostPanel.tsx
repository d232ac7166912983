import { useState } from 'react';
import type { ChannelState, Participant, RoomActions } from '../state';

/**
 * The room's own host panel (stage queue and participants), used until the full HostPanel (recording, OBS key,
 * restream targets) is wired in (see slots.tsx).
 */
export function MinimalHostPanel({
  channel,
  participants,
  actions,
  youIdentity,
}: {
  channel: ChannelState;
  participants: Participant[];
  actions: RoomActions;
  youIdentity: string | null;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const run = (p: Promise<void>) =>
    p.then(
      () => setProblem(null),
      (e: unknown) => setProblem(e instanceof Error ? e.message : String(e)),
    );
  return (
    <section aria-label="Host panel" className="room-host">
      <h2>Host panel</h2>
      {channel.recording.active ? <p className="room-recording">Recording</p> : null}
      {problem ? <p role="alert">{problem}</p> : null}
      <h3 id="room-stage-requests">Stage requests</h3>
      <ul aria-labelledby="room-stage-requests">
        {channel.stageQueue.length === 0 ? <li className="muted">No raised hands</li> : null}
        {channel.stageQueue.map((r) => (
          <li key={r.id}>
            #{r.position} {r.name}{' '}
            <button type="button" onClick={() => void run(actions.approve(r.id))}>
              Approve {r.name}
            </button>{' '}
            <button type="button" onClick={() => void run(actions.reject(r.id))}>
              Reject {r.name}
            </button>
          </li>
        ))}
      </ul>
      <h3 id="room-participants">Participants</h3>
      <ul aria-labelledby="room-participants">
        {participants.map((p) => (
          <li key={p.identity}>
            {p.name} <span className="muted">({p.role.toLowerCase()})</span>
            {p.identity === youIdentity || p.role === 'HOST' ? null : (
              <span className="room-mod">
                {p.role !== 'COHOST' ? (
                  <button type="button" onClick={() => void run(actions.setRole(p.identity, 'COHOST'))}>
                    Promote {p.name}
                  </button>
                ) : null}
                {p.role !== 'VIEWER' ? (
                  <button type="button" onClick={() => void run(actions.setRole(p.identity, 'VIEWER'))}>
                    Move {p.name} to audience
                  </button>
                ) : null}
                {p.onStage ? (
                  <>
                    <button type="button" onClick={() => void run(actions.mute(p.identity, true, false))}>
                      Mute {p.name}
                    </button>
                    <button type="button" onClick={() => void run(actions.askToUnmute(p.identity, true, false))}>
                      Ask {p.name} to unmute
                    </button>
                  </>
                ) : null}
                <button type="button" onClick={() => void run(actions.remove(p.identity))}>
                  Remove {p.name}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
