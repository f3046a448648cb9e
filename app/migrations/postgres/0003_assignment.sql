-- PostgreSQL twin of ../sqlite/0003_assignment.sql (same version, same tables).
-- Assignment: the product a case is about, who works it, and what the automatic
-- assignment knows of engineers (skills, languages, working hours in their own zone).

ALTER TABLE cases ADD COLUMN product TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN assignee_id BIGINT REFERENCES users(id);
CREATE INDEX cases_assignee ON cases(assignee_id, status);

-- The language a person reads and writes (a customer's decides their cases' language).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

CREATE TABLE engineer_profiles (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    skills     TEXT NOT NULL DEFAULT '[]',   -- JSON array of product names
    languages  TEXT NOT NULL DEFAULT '[]',   -- JSON array of language tags
    hours      TEXT NOT NULL                 -- a BusinessCalendar as JSON
);
