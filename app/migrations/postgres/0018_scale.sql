-- Scale (#15): reads that stay bounded with a million cases.
--
-- A case's SLA projection: the facts of its log its clocks depend on (replies, status and
-- severity changes; JSON, `SlaProjection`), which SLA warnings and breaches the log
-- records, and when the sweeper must look at it again (NULL: only a new log entry can
-- change anything). Written in the same transaction as the log entry that changes it;
-- `caseboard rebuild-projections` recomputes it from the log. Filled by the store after
-- this migration (settings key `sla_projection`).
CREATE TABLE case_sla (
    case_id        BIGINT PRIMARY KEY REFERENCES cases(id),
    projection     TEXT NOT NULL,
    next_check_at  TEXT
);
CREATE INDEX case_sla_next_check ON case_sla(next_check_at) WHERE next_check_at IS NOT NULL;

-- The board's columns, most urgent first, open cases only (closed ones leave the board).
CREATE INDEX cases_open_urgency ON cases(status, severity, opened_at, number) WHERE status <> 'closed';
-- The Closed column (closed today) and `updated_since`.
CREATE INDEX cases_status_updated ON cases(status, updated_at);
CREATE INDEX cases_updated ON cases(updated_at);
-- Lists newest first, by cursor: everything, one organization, one engineer, one status.
DROP INDEX cases_organization;
CREATE INDEX cases_organization ON cases(organization_id, number);
CREATE INDEX cases_organization_status ON cases(organization_id, status, number);
DROP INDEX cases_assignee;
CREATE INDEX cases_assignee ON cases(assignee_id, status, number);
DROP INDEX cases_status;
CREATE INDEX cases_status ON cases(status, number);
