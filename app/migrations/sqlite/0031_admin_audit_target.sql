-- The admin log by what an entry is about (`user:42`): erasing a person redacts the
-- snapshots of the entries about them (#16) without reading the whole log.
CREATE INDEX admin_audit_target ON admin_audit(target, id);
