-- The whole schema, in SQL that SQLite and PostgreSQL both read (TEXT, INTEGER, BIGINT,
-- DOUBLE PRECISION, composite keys). Each later change is a new numbered file; an applied file is
-- never edited. `seq` is a record's position within its document, so print order survives on a
-- server that has no rowid.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, title TEXT, department TEXT, year INTEGER, kind TEXT,
    source TEXT, sha256 TEXT, notes TEXT, pages INTEGER);
CREATE TABLE facts (
    doc_id TEXT NOT NULL, seq INTEGER NOT NULL, tbl TEXT, title TEXT, part TEXT, row_label TEXT, code TEXT,
    col TEXT, value DOUBLE PRECISION, unit TEXT, empty INTEGER, loc_table TEXT, section TEXT, line INTEGER,
    page INTEGER, quote TEXT, file TEXT, status TEXT, role TEXT, PRIMARY KEY (doc_id, seq));
CREATE TABLE tables (
    doc_id TEXT NOT NULL, seq INTEGER NOT NULL, tbl TEXT, title TEXT, type TEXT, unit TEXT, facts INTEGER,
    page INTEGER, line INTEGER, note TEXT, file TEXT, status TEXT, checks INTEGER, failed INTEGER,
    PRIMARY KEY (doc_id, seq));
CREATE TABLE projects (
    doc_id TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT, section TEXT, budget DOUBLE PRECISION,
    executed DOUBLE PRECISION, rate DOUBLE PRECISION, score DOUBLE PRECISION, grade TEXT, indicators TEXT,
    line INTEGER, page INTEGER, quote TEXT, PRIMARY KEY (doc_id, seq));
CREATE TABLE figures (
    doc_id TEXT NOT NULL, seq INTEGER NOT NULL, value DOUBLE PRECISION, unit TEXT, context TEXT, sentence TEXT,
    heading TEXT, section TEXT, line INTEGER, page INTEGER, file TEXT, PRIMARY KEY (doc_id, seq));
CREATE TABLE passages (
    passage_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, seq INTEGER NOT NULL, heading TEXT, text TEXT,
    line_start INTEGER, line_end INTEGER, kind TEXT, tokens TEXT, length INTEGER, page INTEGER, file TEXT,
    vector_id TEXT);
CREATE INDEX passages_doc ON passages (doc_id, seq);
CREATE INDEX passages_vector ON passages (vector_id);
CREATE TABLE files (source TEXT PRIMARY KEY, sha256 TEXT, doc_id TEXT);
CREATE INDEX files_doc ON files (doc_id);
CREATE INDEX files_sha ON files (sha256);
-- BM25's corpus statistics, kept exact per document change: how many passages hold each token.
CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
-- The question vocabulary read from the tables (row labels, column pieces, titles, parts, units,
-- project names), one row per distinct term with the number of documents that print it.
CREATE TABLE terms (
    text TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, docs INTEGER NOT NULL,
    PRIMARY KEY (text, kind, target));
CREATE TABLE doc_terms (doc_id TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX doc_terms_doc ON doc_terms (doc_id);
