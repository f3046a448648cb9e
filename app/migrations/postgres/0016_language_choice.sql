-- A person's language is either chosen by them (the language picker while signed in, 1) or
-- the one their browser asked for when they last signed in (0). Pages prefer a chosen
-- language to the browser's; emails always use `language`.
ALTER TABLE users ADD COLUMN language_chosen BIGINT NOT NULL DEFAULT 0;
