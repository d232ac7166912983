-- What a user is told about their sessions' recordings (and, with the podcast library, their episodes): written in
-- the transaction of the event it announces, listed by GET /api/me/notifications.
create table notifications (
    notification_id  uuid          primary key,
    user_id          varchar(255)  not null,
    kind             varchar(32)   not null,      -- the event type: recording.started, recording.completed, ...
    session_id       uuid          not null,
    recording_id     uuid,
    episode_id       uuid,
    text             varchar(500)  not null,      -- a readable line
    link             varchar(500),                -- where to go: the file, the episode
    created_at       timestamptz   not null,
    read_at          timestamptz
);
create index notifications_user on notifications (user_id, created_at desc);
create index notifications_unread on notifications (user_id) where read_at is null;
