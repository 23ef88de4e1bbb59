-- cordiale store, schema version 6: daily counts of the events kept in Parquet files
-- (cordiale.store.parquet), one row per file and day, so the store-wide volume per period
-- does not read every file. Derived: Store.refresh_facts records the files not yet here.
CREATE TABLE parquet_daily (
    file       VARCHAR NOT NULL,   -- path under the Parquet directory: events/month=…/part-….parquet
    event_date DATE NOT NULL,
    events     BIGINT NOT NULL,
    PRIMARY KEY (file, event_date)
);
