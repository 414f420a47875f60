-- 001: the knowledge base. Every fact row carries doc_id and character offsets into
-- articles.text (NFC, as stored); facts of near-duplicate copies are kept but flagged via
-- articles.duplicate_of so they are never counted twice.
CREATE TABLE IF NOT EXISTS articles (
    doc_id              VARCHAR PRIMARY KEY,
    source              VARCHAR,
    url                 VARCHAR,
    canonical_url       VARCHAR,
    site_article_id     VARCHAR,
    title               VARCHAR,
    lead                VARCHAR,
    lead_tag            VARCHAR,
    author              VARCHAR,
    published           TIMESTAMPTZ,
    published_precision VARCHAR,
    tags                VARCHAR[],
    text                VARCHAR,
    fetched_at          TIMESTAMPTZ,
    content_hash        VARCHAR,
    simhash             VARCHAR,
    duplicate_of        VARCHAR,
    raw_path            VARCHAR,
    province            VARCHAR,
    province_2025       VARCHAR,
    extraction_hash     VARCHAR,
    loaded_at           TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS sentences (
    doc_id  VARCHAR NOT NULL,
    sent_id INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    text    VARCHAR,
    PRIMARY KEY (doc_id, sent_id)
);

CREATE TABLE IF NOT EXISTS mentions (
    doc_id        VARCHAR NOT NULL,
    label         VARCHAR NOT NULL,      -- ORG | LOC | PERSON
    text          VARCHAR,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    norm          VARCHAR,
    province      VARCHAR,
    province_2025 VARCHAR,
    level         VARCHAR
);

CREATE TABLE IF NOT EXISTS directives (
    doc_id  VARCHAR NOT NULL,
    text    VARCHAR,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    kind    VARCHAR,
    number  INTEGER,
    issuer  VARCHAR,
    key     VARCHAR,
    term    VARCHAR,
    date    DATE,
    title   VARCHAR
);

CREATE TABLE IF NOT EXISTS metrics (
    doc_id         VARCHAR NOT NULL,
    text           VARCHAR,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    value          DOUBLE,
    unit           VARCHAR,
    qualifier      VARCHAR,
    indicator      VARCHAR,
    indicator_key  VARCHAR,
    subject        VARCHAR,
    locality       VARCHAR,
    locality_2025  VARCHAR,
    period         VARCHAR,
    period_source  VARCHAR              -- 'text' | 'published' (fallback to publication date)
);

CREATE TABLE IF NOT EXISTS practices (
    doc_id        VARCHAR NOT NULL,
    text          VARCHAR,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    category      VARCHAR,
    score         DOUBLE,
    province      VARCHAR,
    province_2025 VARCHAR,
    district      VARCHAR
);

-- Resolved place mentions (LOC entities and the places inside ORG names).
CREATE TABLE IF NOT EXISTS places (
    doc_id        VARCHAR NOT NULL,
    text          VARCHAR,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    name          VARCHAR,
    level         VARCHAR,
    province      VARCHAR,
    province_2025 VARCHAR
);

-- Reference: central documents catalog and provinces across the 2025 merger.
CREATE TABLE IF NOT EXISTS documents (
    key           VARCHAR PRIMARY KEY,
    kind          VARCHAR,
    number        INTEGER,
    issuer        VARCHAR,
    issuing_body  VARCHAR,
    date          DATE,
    term          VARCHAR,
    title         VARCHAR,
    aliases       VARCHAR,
    source_url    VARCHAR
);

CREATE TABLE IF NOT EXISTS provinces (
    province      VARCHAR PRIMARY KEY,
    province_2025 VARCHAR,
    aliases       VARCHAR
);

-- What the crawler skipped, with the reason (last seen).
CREATE TABLE IF NOT EXISTS skips (
    url     VARCHAR PRIMARY KEY,
    reason  VARCHAR,
    detail  VARCHAR,
    seen_at TIMESTAMPTZ
);

-- The search units (articles and practices) with folded, bigram-expanded text for BM25.
CREATE TABLE IF NOT EXISTS search_units (
    unit_id   VARCHAR PRIMARY KEY,       -- 'a:<doc_id>' or 'p:<doc_id>:<start>'
    doc_id    VARCHAR NOT NULL,
    kind      VARCHAR NOT NULL,          -- article | practice
    start     INTEGER,
    "end"     INTEGER,
    terms     VARCHAR
);
