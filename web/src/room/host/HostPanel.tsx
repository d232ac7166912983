import { useState } from 'react';
import { Participants } from './Participants';
import { RecordingControls } from './RecordingControls';
import { StageRequests } from './StageRequests';
import { StreamControls } from './StreamControls';
import type { ParticipantsChangedFrame, RecordingFrame, StageFrame } from './types';
import './host.css';

export type { ParticipantsChangedFrame, RecordingFrame, StageFrame } from './types';

export interface HostPanelProps {
  /** the session's id (session-service paths) */
  sessionId: string;
  /** the slug or id for recording-service paths (`{ref}`); the id by default */
  sessionRef?: string;
  /** `welcome.you`: only HOST and COHOST see the panel; streaming controls are the host's */
  you: { userId: string | null; role: string } | null;
  /** the last `stage` frame (a new object each time): the queue reloads */
  stageFrame?: StageFrame | null;
  /** the last `system` frame: the participants reload */
  systemFrame?: ParticipantsChangedFrame | null;
  /** the last `recording` frame: the recordings reload */
  recordingFrame?: RecordingFrame | null;
}

/** Hosts and cohosts: the stage queue, the participants, recording and the live stream. */
export function HostPanel({ sessionId, sessionRef, you, stageFrame, systemFrame, recordingFrame }: HostPanelProps) {
  const [decisions, setDecisions] = useState(0);
  if (!you || (you.role !== 'HOST' && you.role !== 'COHOST')) {
    return null;
  }
  const ref = sessionRef ?? sessionId;
  return (
    <section className="host-panel" aria-label="Host panel">
      <h2 className="host-heading">Host panel</h2>
      <StageRequests sessionId={sessionId} stageFrame={stageFrame} onDecided={() => setDecisions((n) => n + 1)} />
      <Participants sessionId={sessionId} youUserId={you.userId} youRole={you.role} version={systemFrame} refresh={decisions} />
      <RecordingControls sessionRef={ref} recordingFrame={recordingFrame} />
      <StreamControls sessionRef={ref} isHost={you.role === 'HOST'} />
    </section>
  );
}
