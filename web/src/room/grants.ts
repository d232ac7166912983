/**
 * What the caller may publish: from the LiveKit token's video grant (token-service's `grants`), then from LiveKit's
 * live permission updates (session-service's approval → token-service UpdateParticipant, docs/adr/0002).
 */
export interface PublishGrants {
  microphone: boolean;
  camera: boolean;
  screenShare: boolean;
}

export const NO_GRANTS: PublishGrants = { microphone: false, camera: false, screenShare: false };

function fromSources(canPublish: boolean, sources: string[] | undefined): PublishGrants {
  if (!canPublish) {
    return NO_GRANTS;
  }
  if (!sources || sources.length === 0) {
    // LiveKit: canPublish without a source list allows every source
    return { microphone: true, camera: true, screenShare: true };
  }
  const s = sources.map((x) => x.toLowerCase());
  return {
    microphone: s.includes('microphone'),
    camera: s.includes('camera'),
    screenShare: s.includes('screen_share'),
  };
}

/** The token's grants: token-service answers them as an object (a raw JSON value); tolerate a JSON string too. */
export function grantsFromToken(grants: unknown): PublishGrants {
  let g: unknown = grants;
  if (typeof g === 'string') {
    try {
      g = JSON.parse(g);
    } catch {
      return NO_GRANTS;
    }
  }
  if (!g || typeof g !== 'object') {
    return NO_GRANTS;
  }
  const o = g as { canPublish?: unknown; canPublishSources?: unknown };
  const sources = Array.isArray(o.canPublishSources) ? o.canPublishSources.map((x) => String(x)) : undefined;
  return fromSources(o.canPublish === true, sources);
}

/** LiveKit's protocol TrackSource numbers (livekit_models.proto): 1 camera, 2 microphone, 3 screen share. */
const PROTO_SOURCES: Record<number, string> = { 1: 'camera', 2: 'microphone', 3: 'screen_share', 4: 'screen_share_audio' };

/** A LiveKit `ParticipantPermission` (local participant's `permissions`). */
export function grantsFromPermissions(p: { canPublish?: boolean; canPublishSources?: readonly number[] } | undefined): PublishGrants | null {
  if (!p) {
    return null;
  }
  return fromSources(
    p.canPublish === true,
    p.canPublishSources ? p.canPublishSources.map((n) => PROTO_SOURCES[n] ?? 'unknown') : undefined,
  );
}
