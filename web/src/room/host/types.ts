import type { components as RecordingComponents } from '../../api/generated/recording-service';
import type { components as SessionComponents } from '../../api/generated/session-service';

export type Participant = SessionComponents['schemas']['ParticipantResponse'];
export type StageRequest = SessionComponents['schemas']['StageRequestResponse'];
export type Recording = RecordingComponents['schemas']['Recording'];
export type StreamStatus = RecordingComponents['schemas']['StreamStatus'];
export type Ingress = RecordingComponents['schemas']['IngressResponse'];
export type SavedTarget = RecordingComponents['schemas']['TargetResponse'];
export type TargetKind = RecordingComponents['schemas']['TargetKind'];

