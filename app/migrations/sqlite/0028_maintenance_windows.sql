-- Maintenance windows (#17): a title, the affected components, the local wall-clock time of
-- the first start in an IANA time zone (`start_local`, YYYY-MM-DDTHH:MM), a duration in
-- elapsed minutes and an optional RFC 5545 recurrence rule. `components` is a JSON list of
-- component ids, without a foreign key until components exist (they will be checked then).
CREATE TABLE maintenance_windows (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    components        TEXT NOT NULL DEFAULT '[]',
    time_zone         TEXT NOT NULL,
    start_local       TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    rrule             TEXT,
    created_by        INTEGER NOT NULL REFERENCES users(id),
    created_at        TEXT NOT NULL
);
