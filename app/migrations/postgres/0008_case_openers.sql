-- PostgreSQL twin of ../sqlite/0008_case_openers.sql (same version, same tables).
-- Seats: whether a contact may open cases (a plan may limit how many per organization,
-- Coveo two); the others read and reply.
ALTER TABLE users ADD COLUMN opens_cases BIGINT NOT NULL DEFAULT 1;
