# A prefecture with two (well-formed, valid) local government codes.
# expect: Violation shapes:PrefectureShape-dantaiCode sh:MaxCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> seirei:dantaiCode "020001" .
}
