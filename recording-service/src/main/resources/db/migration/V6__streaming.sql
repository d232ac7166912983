-- Live streaming (docs/adr/0015-live-streaming.md): one stream egress per session (HLS, plus the restream targets
-- added and removed live with UpdateStream), the host's OBS ingress, saved restream targets, and who watches.
-- Stream keys and URLs that carry one are stored AES-256-GCM encrypted (nonce || ciphertext || tag) with the id of
-- the key that encrypted them, so keys can be rotated.

-- A session's stream: its chosen quality and its stream egress ("broadcast"). broadcast_status null = never started;
-- PENDING = asked for, kept until LiveKit accepts it (the room may not exist yet); then LiveKit's egress statuses.
-- version grows with every change of what the stream status shows (the SSE event id).
create table stream_sessions (
    session_id              uuid          primary key references recording_sessions (session_id) on delete cascade,
    quality                 varchar(8)    not null default '720p',
    audio_bitrate_kbps      integer       not null default 128,
    broadcast_status        varchar(16),
    egress_id               varchar(64)   unique,
    requested_by            varchar(255),
    stop_requested_at       timestamptz,
    attempts                integer       not null default 0,
    next_action_at          timestamptz,
    last_error              varchar(500),
    hls_started_at          timestamptz,
    hls_ended_at            timestamptz,
    segment_count           bigint        not null default 0,
    version                 bigint        not null default 0,
    updated_at              timestamptz   not null
);
create index stream_sessions_due on stream_sessions (next_action_at) where next_action_at is not null;

-- The host's OBS ingress of a session (at most one; rotation replaces it).
create table stream_ingresses (
    session_id          uuid          primary key references recording_sessions (session_id) on delete cascade,
    ingress_id          varchar(64)   not null unique,
    url                 varchar(500)  not null,
    key_id              varchar(32)   not null,
    stream_key          bytea         not null,
    state               varchar(24)   not null default 'ENDPOINT_INACTIVE',
    error               varchar(500),
    video_bitrate       bigint,
    audio_bitrate       bigint,
    width               integer,
    height              integer,
    framerate           double precision,
    started_at          timestamptz,
    errors              integer       not null default 0,
    created_by          varchar(255)  not null,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null
);

-- Ingresses to delete at LiveKit (rotated, revoked, their session ended), retried until LiveKit confirms.
create table stream_ingress_deletions (
    ingress_id       varchar(64)   primary key,
    session_id       uuid          not null,
    attempts         integer       not null default 0,
    next_attempt_at  timestamptz   not null,
    last_error       varchar(500)
);

-- A host's saved restream targets (Telegram, YouTube, Twitch, any RTMP(S) server).
create table restream_targets (
    target_id    uuid          primary key,
    owner_id     varchar(255)  not null,
    name         varchar(100)  not null,
    kind         varchar(10)   not null,      -- TELEGRAM, YOUTUBE, TWITCH, RTMP
    server_url   varchar(500)  not null,
    key_id       varchar(32)   not null,
    stream_key   bytea         not null,
    key_hint     varchar(8)    not null,      -- the key's last characters, shown masked
    auto_start   boolean       not null default false,
    created_at   timestamptz   not null,
    updated_at   timestamptz   not null
);
create index restream_targets_owner on restream_targets (owner_id, created_at);

-- A target restreamed in a session: the full URL added to the stream egress (encrypted: LiveKit removes a stream only
-- by its full original URL), and its state. PENDING = to add; ACTIVE; FAILED = LiveKit reported it failed, retried at
-- next_action_at; STOPPING = to remove; STOPPED; GAVE_UP = failed retry-limit times.
create table stream_restreams (
    session_id       uuid          not null references recording_sessions (session_id) on delete cascade,
    target_id        uuid          not null,
    target_name      varchar(100)  not null,
    target_kind      varchar(10)   not null,
    key_id           varchar(32)   not null,
    output_url       bytea         not null,
    redacted_url     varchar(600)  not null,
    status           varchar(10)   not null,
    error            varchar(500),
    retries          integer       not null default 0,
    next_action_at   timestamptz,
    last_retry_at    timestamptz,
    started_at       timestamptz,
    requested_by     varchar(255)  not null,
    updated_at       timestamptz   not null,
    primary key (session_id, target_id)
);
create index stream_restreams_due on stream_restreams (next_action_at) where next_action_at is not null;

-- Who is connected to a session's room channel (chat-service's viewer.presence events): a LEFT keeps the row with
-- left_at, so a redelivered JOINED cannot bring a closed connection back.
create table stream_audience (
    session_id      uuid          not null,
    connection_id   varchar(64)   not null,
    role            varchar(10),
    joined_at       timestamptz   not null,
    left_at         timestamptz,
    primary key (session_id, connection_id)
);
create index stream_audience_present on stream_audience (session_id) where left_at is null;
