-- Platform status (#17, first slice): the platform's components and their current status,
-- incidents (affected components with the status each was given, updates from
-- investigating to resolved) and the cases linked to an incident (each update of the
-- incident is posted on them as a public support reply). `resolved` is 0 while the
-- incident is active, 1 once an update resolved it: lists show active incidents first.
CREATE TABLE status_components (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    group_name  TEXT,
    beta        INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'operational',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE status_incidents (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    resolved    INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX status_incidents_by_phase ON status_incidents(resolved, id);
CREATE TABLE status_incident_components (
    incident_id  INTEGER NOT NULL REFERENCES status_incidents(id),
    component_id INTEGER NOT NULL REFERENCES status_components(id),
    status       TEXT NOT NULL,
    PRIMARY KEY (incident_id, component_id)
);
CREATE TABLE status_incident_updates (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES status_incidents(id),
    status      TEXT NOT NULL,
    message     TEXT NOT NULL,
    author_id   INTEGER REFERENCES users(id),
    at          TEXT NOT NULL
);
CREATE INDEX status_incident_updates_by_incident ON status_incident_updates(incident_id, id);
CREATE TABLE status_incident_cases (
    incident_id INTEGER NOT NULL REFERENCES status_incidents(id),
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    linked_by   INTEGER REFERENCES users(id),
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (incident_id, case_id)
);
