-- cordiale store, schema version 4: the events the analysis reads, clustered by dyad.
-- A dyad's series then touches a few row groups instead of every row of a large store
-- (DuckDB skips row groups by their min/max), and daily_counts answers the store-wide
-- volume per period without a scan. Both are derived: Store.refresh_facts rebuilds them.
CREATE TABLE event_facts (
    dyad           VARCHAR NOT NULL,   -- the two country codes, sorted: 'CHN|RUS'
    event_date     DATE NOT NULL,
    source_country VARCHAR NOT NULL,
    target_country VARCHAR NOT NULL,
    goldstein      DOUBLE NOT NULL,
    quad_class     INTEGER NOT NULL,
    cameo_code     VARCHAR NOT NULL,
    plover_type    VARCHAR,
    story_id       VARCHAR NOT NULL,
    publisher      VARCHAR,
    event_id       VARCHAR NOT NULL,
    doc_id         VARCHAR NOT NULL,
    origin         VARCHAR NOT NULL
);

CREATE TABLE daily_counts (
    event_date DATE PRIMARY KEY,
    events     BIGINT NOT NULL
);

-- events_seen: one past the highest rowid of events the facts reflect (events is append-only, so its
-- rows past that count are the new ones); sorted_rows: facts rows in dyad order.
CREATE TABLE facts_state (
    id          INTEGER PRIMARY KEY,
    events_seen BIGINT NOT NULL,
    sorted_rows BIGINT NOT NULL,
    built_at    TIMESTAMP NOT NULL
);
