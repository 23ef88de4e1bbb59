-- cordiale store, schema version 2: coded events, and coordinates of places in mentions.
ALTER TABLE mentions ADD COLUMN latitude DOUBLE;
ALTER TABLE mentions ADD COLUMN longitude DOUBLE;

-- event_id has no PRIMARY KEY (stores made before issue 12 keep theirs; both work): every
-- writer keeps ids unique itself under the write lock (see "No index on events.event_id" in
-- docs/design.md), and the index was the largest part of an import's insert.
CREATE TABLE events (
    event_id         VARCHAR NOT NULL,      -- hash of document, trigger, actors and code
    doc_id           VARCHAR NOT NULL,
    sentence_index   INTEGER NOT NULL,
    sentence         VARCHAR NOT NULL,
    date             VARCHAR,               -- ISO form at its precision (2021-11-23, 2021-11, 2021)
    date_precision   VARCHAR,
    event_date       DATE,                  -- first day of that period, for range queries
    source_code      VARCHAR,
    source_country   VARCHAR,
    source_sector    VARCHAR,
    source_name      VARCHAR,
    source_text      VARCHAR,
    target_code      VARCHAR,
    target_country   VARCHAR,
    target_sector    VARCHAR,
    target_name      VARCHAR,
    target_text      VARCHAR,
    cameo_code       VARCHAR NOT NULL,
    cameo_root       VARCHAR NOT NULL,
    goldstein        DOUBLE NOT NULL,
    quad_class       INTEGER NOT NULL,
    plover_type      VARCHAR,
    plover_mode      VARCHAR,
    trigger_text     VARCHAR NOT NULL,
    char_start       INTEGER NOT NULL,
    char_end         INTEGER NOT NULL,
    negated          BOOLEAN NOT NULL,
    hypothetical     BOOLEAN NOT NULL,
    attributed_to    VARCHAR,
    quantity         VARCHAR,
    location_name    VARCHAR,
    location_country VARCHAR,
    latitude         DOUBLE,
    longitude        DOUBLE,
    confidence       DOUBLE NOT NULL,
    coder            VARCHAR NOT NULL,
    source_start     INTEGER,
    source_end       INTEGER,
    target_start     INTEGER,
    target_end       INTEGER,
    modality         VARCHAR NOT NULL,
    reciprocal       BOOLEAN NOT NULL,
    origin           VARCHAR NOT NULL DEFAULT 'cordiale'  -- which coder or import produced it
);
