-- cordiale store, schema version 5: analysts' reviews of coded events.
-- A review says an event is right, wrong, or right once corrected (its CAMEO code and/or the
-- country on either side). Reviews are appended, never updated: the latest review of an
-- event is the one that counts, and the history says who changed their mind and when.
-- The Goldstein score, quad class, root and PLOVER type of a corrected code are stored with
-- the review (from the ontology at review time), so reads apply a correction with a join.
CREATE SEQUENCE reviews_id START 1;

CREATE TABLE reviews (
    review_id      BIGINT PRIMARY KEY DEFAULT nextval('reviews_id'),
    event_id       VARCHAR NOT NULL,
    verdict        VARCHAR NOT NULL CHECK (verdict IN ('right', 'wrong', 'corrected')),
    cameo_code     VARCHAR,            -- corrections: NULL keeps the event's own
    cameo_root     VARCHAR,
    goldstein      DOUBLE,
    quad_class     INTEGER,
    plover_type    VARCHAR,
    source_country VARCHAR,
    target_country VARCHAR,
    reviewer       VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    note           VARCHAR
);

CREATE INDEX reviews_event ON reviews (event_id);

-- the review that counts for each reviewed event
CREATE VIEW latest_reviews AS
    SELECT * FROM reviews
    QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY created_at DESC, review_id DESC) = 1;
