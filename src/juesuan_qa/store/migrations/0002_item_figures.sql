-- Each document's cited figure for the items compared across departments (domain.vocabulary.
-- COMPARABLE_ITEMS), answered when the document is stored, under the same policy as a question
-- about that document: a ranking over thousands of departments reads one row per document.
-- `record` is the figure and its citation (JSON), NULL when the document prints no such figure;
-- `policy` fingerprints the code that answered, and a row of other code is not used.
CREATE TABLE item_figures (
    doc_id TEXT NOT NULL, item TEXT NOT NULL, policy TEXT NOT NULL, record TEXT,
    PRIMARY KEY (doc_id, item));
