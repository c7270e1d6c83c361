# A verified resource without a source citation.
# expect: Violation shapes:VerificationShape-citation sh:MinCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/prefecture/minami> seirei:sourceCitation "test citation" }
