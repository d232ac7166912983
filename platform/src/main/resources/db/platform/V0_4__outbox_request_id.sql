-- The id of the HTTP request that caused the event (X-Request-Id), published as the CloudEvents extension
-- attribute ce_requestid so consumers can correlate an event with the gateway's and the services' log lines.
alter table outbox add column request_id text;
