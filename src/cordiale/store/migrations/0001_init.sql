-- cordiale store, schema version 1: documents, sentences, actor mentions,
-- near-duplicate links and the inputs that could not be read.
CREATE TABLE documents (
    doc_id       VARCHAR PRIMARY KEY,
    content_hash VARCHAR NOT NULL UNIQUE,
    title        VARCHAR,
    url          VARCHAR,
    source       VARCHAR,
    published    DATE,
    origin       VARCHAR,
    metadata     JSON,
    text         VARCHAR NOT NULL,
    words        INTEGER,
    cluster_id   VARCHAR NOT NULL,      -- the first-seen copy of this story (itself if none)
    ingested_at  TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE sentences (
    doc_id         VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, sentence_index)
);

CREATE TABLE mentions (
    doc_id         VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    mention_index  INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    char_start     INTEGER NOT NULL,   -- offsets into documents.text
    char_end       INTEGER NOT NULL,
    country        VARCHAR,
    sector         VARCHAR,
    code           VARCHAR NOT NULL,
    name           VARCHAR,
    confidence     DOUBLE NOT NULL,
    method         VARCHAR NOT NULL,   -- the rule that resolved it
    role           VARCHAR NOT NULL,   -- actor | place
    PRIMARY KEY (doc_id, mention_index)
);

-- One row per document found to be a near-duplicate of an earlier one.
CREATE TABLE duplicate_links (
    doc_id     VARCHAR PRIMARY KEY,
    cluster_id VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL
);

CREATE TABLE doc_minhash (
    doc_id    VARCHAR PRIMARY KEY,
    signature UBIGINT[] NOT NULL
);

CREATE TABLE lsh_bands (
    band    SMALLINT NOT NULL,
    bucket  UBIGINT NOT NULL,
    doc_id  VARCHAR NOT NULL
);

CREATE TABLE errors (
    error_id   VARCHAR PRIMARY KEY,    -- hash of origin, line and reason: re-runs do not duplicate
    origin     VARCHAR NOT NULL,
    line       INTEGER,
    kind       VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL,
    times      INTEGER NOT NULL
);

CREATE VIEW clusters AS
    SELECT cluster_id, count(*) AS size, min(published) AS first_published,
           list(doc_id ORDER BY doc_id) AS doc_ids
    FROM documents GROUP BY cluster_id;
