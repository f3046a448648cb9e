-- The expertise-hour bank and time logged on cases (issue #18).
-- An organization's bank: the run of the plan its grants count from, how many months of that
-- run are granted, and when something is next due by itself (a grant, an expiry), so a read
-- knows without reading the lots whether the ledger must be brought up to date first.
CREATE TABLE hour_banks (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations(id),
    run_start       TEXT NOT NULL,
    granted_through INTEGER NOT NULL,
    next_due_at     TEXT,
    opened_at       TEXT NOT NULL
);

-- Minutes valid for a while: a month's grant (month of the run), a pack, a credit. The balance
-- is the sum of `remaining` over the live lots (remaining > 0, read through the partial index):
-- never the whole ledger. `warned`: the usage warning already sent for a grant (0, 80, 100).
CREATE TABLE hour_lots (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    source          TEXT NOT NULL,
    run_start       TEXT,
    month           INTEGER,
    minutes         INTEGER NOT NULL,
    remaining       INTEGER NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_until     TEXT,
    warned          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX hour_lots_live ON hour_lots(organization_id) WHERE remaining > 0;
CREATE UNIQUE INDEX hour_lots_grant ON hour_lots(organization_id, run_start, month) WHERE source = 'grant';

-- Time logged on a case (every activity; billable expertise also draws from the bank).
CREATE TABLE time_entries (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    engineer_id     INTEGER NOT NULL REFERENCES users(id),
    at              TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    activity        TEXT NOT NULL,
    billable        INTEGER NOT NULL,
    note            TEXT NOT NULL,
    drawn_minutes   INTEGER NOT NULL,
    overage_minutes INTEGER NOT NULL
);
CREATE INDEX time_entries_case ON time_entries(case_id, id);

-- The ledger, append-only: grants, packs, usage, expiry, adjustments and overage, each with
-- who (none for what the plan does by itself), when and why.
CREATE TABLE hour_ledger (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    at              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    case_id         INTEGER REFERENCES cases(id),
    time_entry_id   INTEGER REFERENCES time_entries(id),
    actor_id        INTEGER REFERENCES users(id),
    note            TEXT NOT NULL
);
CREATE INDEX hour_ledger_organization ON hour_ledger(organization_id, id);
CREATE INDEX hour_ledger_month ON hour_ledger(organization_id, at);
CREATE TRIGGER hour_ledger_no_update BEFORE UPDATE ON hour_ledger
BEGIN SELECT RAISE(ABORT, 'hour_ledger is append-only'); END;
CREATE TRIGGER hour_ledger_no_delete BEFORE DELETE ON hour_ledger
BEGIN SELECT RAISE(ABORT, 'hour_ledger is append-only'); END;
