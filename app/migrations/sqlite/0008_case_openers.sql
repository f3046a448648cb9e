-- Seats: whether a contact may open cases (a plan may limit how many per organization,
-- Coveo two); the others read and reply.
ALTER TABLE users ADD COLUMN opens_cases INTEGER NOT NULL DEFAULT 1;
