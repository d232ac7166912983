import { useState } from 'react';
import { Participants } from './Participants';
import { RecordingControls } from './RecordingControls';
import { StageRequests } from './StageRequests';
import { StreamControls } from './StreamControls';
import './host.css';


export interface HostPanelProps {
  /** the session's id (session-service paths) */
  sessionId: string;
  /** the slug or id for recording-service paths (`{ref}`); the id by default */
  sessionRef?: string;
  /** `welcome.you`: only HOST and COHOST see the panel; streaming controls are the host's */
  you: { userId: string | null; role: string } | null;
  /**
   * Reload triggers: any value whose identity changes when the room channel reports a change. Pass the room state's
   * `stageQueue` (changes on `stage` frames), `system` (on `system` frames: joins, leaves, approvals, role changes)
   * and `recording` (on `recording` frames).
   */
  queueVersion?: unknown;
  participantsVersion?: unknown;
  recordingsVersion?: unknown;
}

/** Hosts and cohosts: the stage queue, the participants, recording and the live stream. */
export function HostPanel({ sessionId, sessionRef, you, queueVersion, participantsVersion, recordingsVersion }: HostPanelProps) {
  const [decisions, setDecisions] = useState(0);
  if (!you || (you.role !== 'HOST' && you.role !== 'COHOST')) {
    return null;
  }
  const ref = sessionRef ?? sessionId;
  return (
    <section className="host-panel" aria-label="Host panel">
      <h2 className="host-heading">Host panel</h2>
      <StageRequests sessionId={sessionId} version={queueVersion} onDecided={() => setDecisions((n) => n + 1)} />
      <Participants sessionId={sessionId} youUserId={you.userId} youRole={you.role} version={participantsVersion} refresh={decisions} />
      <RecordingControls sessionRef={ref} version={recordingsVersion} />
      <StreamControls sessionRef={ref} isHost={you.role === 'HOST'} />
    </section>
  );
}
