# A source document without a title.
# expect: Violation shapes:SourceDocumentShape-title sh:MinCountConstraintComponent id:source/seed
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE DATA { <https://w3id.org/seirei/id/source/seed> dcterms:title "Test source table"@en }
