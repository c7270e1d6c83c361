# A source document title given as a plain string.
# expect: Violation shapes:SourceDocumentShape-title sh:DatatypeConstraintComponent id:source/seed
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE { <https://w3id.org/seirei/id/source/seed> dcterms:title "Test source table"@en }
INSERT { <https://w3id.org/seirei/id/source/seed> dcterms:title "Test source table" }
WHERE { <https://w3id.org/seirei/id/source/seed> dcterms:title "Test source table"@en }
