# A verified resource with two source citations.
# expect: Violation shapes:VerificationShape-citation sh:MaxCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> seirei:sourceCitation "another citation" .
}
