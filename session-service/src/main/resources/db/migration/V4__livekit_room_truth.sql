-- LiveKit's view of the room (webhooks on livestage.livekit): when a participant's connection was last seen
-- arriving and going, and when a session's room finished.
alter table participants add column connected_at timestamptz;      -- last participant_joined
alter table participants add column disconnected_at timestamptz;   -- last participant_left / _connection_aborted, null once back
-- The grace sweep: present participants whose connection went and did not come back.
create index participants_disconnected on participants (disconnected_at)
    where disconnected_at is not null and left_at is null and removed_at is null;

alter table sessions add column room_finished_at timestamptz;      -- last room_finished while ACTIVE, null once rejoined
create index sessions_room_finished on sessions (room_finished_at)
    where room_finished_at is not null and status = 'ACTIVE';
