# A source document description given as a plain string.
# expect: Violation shapes:SourceDocumentShape-description sh:DatatypeConstraintComponent id:source/seed
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE { <https://w3id.org/seirei/id/source/seed> dcterms:description "A source table for tests."@en }
INSERT { <https://w3id.org/seirei/id/source/seed> dcterms:description "A source table for tests." }
WHERE { <https://w3id.org/seirei/id/source/seed> dcterms:description "A source table for tests."@en }
