import type { components as RecordingComponents } from '../../api/generated/recording-service';
import type { components as SessionComponents } from '../../api/generated/session-service';

export type Participant = SessionComponents['schemas']['ParticipantResponse'];
export type StageRequest = SessionComponents['schemas']['StageRequestResponse'];
export type Recording = RecordingComponents['schemas']['Recording'];
export type StreamStatus = RecordingComponents['schemas']['StreamStatus'];
export type Ingress = RecordingComponents['schemas']['IngressResponse'];
export type SavedTarget = RecordingComponents['schemas']['TargetResponse'];
export type TargetKind = RecordingComponents['schemas']['TargetKind'];

/** A `stage` frame (hosts and cohosts only): the queue changed. */
export interface StageFrame {
  type?: 'stage';
  event: string;
  request: {
    id: string;
    userId: string;
    name: string | null;
    status: string;
    xp?: number | null;
    requestedAt: string;
    decidedAt?: string | null;
    decidedBy?: string | null;
  };
  position?: number | null;
}

/** A `recording` frame: recording-service's events for this session. */
export interface RecordingFrame {
  type?: 'recording';
  event: string;
  recordingId: string;
  format: string;
  trigger?: string;
  startedAt?: string;
  durationMillis?: number;
  sizeBytes?: number;
  downloadUrl?: string;
  reason?: string;
}

/** Any frame that means the participants changed (`system` frames: joined, left, approved, promoted, ...). */
export interface ParticipantsChangedFrame {
  event: string;
}
