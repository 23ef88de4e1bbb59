-- cordiale store, schema version 3: events imported from other datasets (ICEWS, GDELT),
-- the story and outlet each event counts for, and UN General Assembly roll-call votes.
-- Imported events carry no sentence or trigger offsets, so those become optional.
ALTER TABLE events ALTER COLUMN sentence DROP NOT NULL;
ALTER TABLE events ALTER COLUMN trigger_text DROP NOT NULL;
ALTER TABLE events ALTER COLUMN char_start DROP NOT NULL;
ALTER TABLE events ALTER COLUMN char_end DROP NOT NULL;
-- story_id: the unit a bootstrap resamples and deduplication counts once (near-duplicate
-- cluster for cordiale's documents, Story ID for ICEWS, the event's own id for GDELT).
ALTER TABLE events ADD COLUMN story_id VARCHAR;
-- publisher: the outlet, for leave-one-source-out checks.
ALTER TABLE events ADD COLUMN publisher VARCHAR;
-- origin_event_id: the event's id in the dataset it came from (ICEWS Event ID, GLOBALEVENTID).
ALTER TABLE events ADD COLUMN origin_event_id VARCHAR;

UPDATE events SET story_id = d.cluster_id, publisher = d.source
FROM documents d WHERE d.doc_id = events.doc_id;

CREATE INDEX events_date ON events (event_date);

CREATE TABLE unga_roll_calls (
    rcid        INTEGER PRIMARY KEY,
    session     INTEGER,
    date        DATE NOT NULL,
    important   BOOLEAN,
    resolution  VARCHAR,
    short       VARCHAR,
    description VARCHAR,
    issues      VARCHAR            -- comma-separated issue names, when known
);

CREATE TABLE unga_votes (
    rcid         INTEGER NOT NULL,
    country      VARCHAR NOT NULL,  -- ISO 3166-1 alpha-3
    country_name VARCHAR,
    vote         VARCHAR NOT NULL,  -- yes | no | abstain
    PRIMARY KEY (rcid, country)
);
