# A source citation with a language tag.
# expect: Violation shapes:VerificationShape-citation sh:DatatypeConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/prefecture/minami> seirei:sourceCitation "test citation" }
INSERT { <https://w3id.org/seirei/id/prefecture/minami> seirei:sourceCitation "test citation"@en }
WHERE { <https://w3id.org/seirei/id/prefecture/minami> seirei:sourceCitation "test citation" }
