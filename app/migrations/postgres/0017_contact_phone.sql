-- The number a contact last gave for a callback (E.164), offered on their next case.
ALTER TABLE users ADD COLUMN phone TEXT;
