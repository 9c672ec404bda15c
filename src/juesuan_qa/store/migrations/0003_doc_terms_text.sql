-- A unit a document prints in its tables (西安市社会经济调查中心 inside 西安市统计局（汇总）) is asked
-- by its own name: the question's words are looked up in doc_terms by text to find its documents.
CREATE INDEX doc_terms_text ON doc_terms (text);
