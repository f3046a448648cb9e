-- Support contracts. Each change of an organization's contract is a dated row holding a
-- snapshot of the plan and the calendar: the newest calendar applies, and every plan change
-- moves the future targets of open cases from its date (an upgrade applies at once).

CREATE TABLE custom_plans (
    id          TEXT PRIMARY KEY,
    definition  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE contract_changes (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    effective_at    TEXT NOT NULL,
    plan            TEXT NOT NULL,
    calendar        TEXT NOT NULL,
    changed_by      INTEGER REFERENCES users(id)
);
CREATE INDEX contract_changes_organization ON contract_changes(organization_id, id);
