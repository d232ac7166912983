-- transcription-service owns transcript segments and the record of each speaker's audio stream. Sessions and
-- participants are a projection of session-service's events (livestage.session), applied by ce_sequence
-- (idempotent, order-tolerant).

create table transcript_sessions (
    session_id            uuid primary key,
    slug                  varchar(16)  not null,
    title                 varchar(200) not null,
    host_id               varchar(255) not null,
    visibility            varchar(10)  not null,
    status                varchar(10)  not null,      -- SCHEDULED, ACTIVE, ENDED, CANCELLED, DELETED
    transcription_enabled boolean      not null,
    started_at            timestamptz,
    ended_at              timestamptz,
    session_seq           bigint       not null,      -- ce_sequence of the session event last applied
    last_seq              bigint       not null default 0   -- transcript event sequence (ce_sequence on livestage.transcript)
);
create unique index transcript_sessions_slug on transcript_sessions (slug);

create table transcript_participants (
    session_id       uuid         not null references transcript_sessions (session_id) on delete cascade,
    user_id          varchar(255) not null,
    identity         varchar(255) not null,
    name             varchar(100),
    role             varchar(10)  not null,
    present          boolean      not null,
    removed          boolean      not null default false,
    participant_seq  bigint       not null,
    primary key (session_id, user_id)
);

-- One row per speaker connection = one Gladia live session.
create table transcript_streams (
    stream_id            varchar(64)  primary key,    -- Gladia's session id
    session_id           uuid         not null references transcript_sessions (session_id) on delete cascade,
    participant_identity varchar(255) not null,
    sample_rate          integer      not null,
    languages            text[]       not null default '{}',
    started_at           timestamptz  not null,
    ended_at             timestamptz,
    bytes_received       bigint       not null default 0,
    reconnects           integer      not null default 0,
    end_reason           varchar(64)
);
create index transcript_streams_session on transcript_streams (session_id);

-- Finals are upserted by (session, stream, utterance) and never change; a partial is kept until its final arrives.
create table transcript_segments (
    session_id           uuid          not null references transcript_sessions (session_id) on delete cascade,
    stream_id            varchar(64)   not null,
    utterance_id         varchar(64)   not null,
    participant_identity varchar(255)  not null,
    speaker_name         varchar(100),
    text                 text          not null,
    is_final             boolean       not null,
    start_at             timestamptz   not null,
    end_at               timestamptz   not null,
    language             varchar(16),
    confidence           double precision,
    words                jsonb,
    updated_at           timestamptz   not null,
    primary key (session_id, stream_id, utterance_id)
);
create index transcript_segments_start on transcript_segments (session_id, start_at);
