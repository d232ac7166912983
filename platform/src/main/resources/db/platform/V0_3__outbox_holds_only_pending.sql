-- The relay now deletes a row once Kafka acknowledged it (Kafka is the log): the table holds only pending events,
-- stays small, and its scans stay cheap even before the planner has statistics.
drop index outbox_unpublished;
drop index outbox_published_at;
alter table outbox drop column published_at;
-- A queue table: vacuum its dead rows early instead of at 20% of the table.
alter table outbox set (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.0, autovacuum_analyze_threshold = 1000);
