# A prefecture with two seirei:jisPrefectureCode values.
# expect: Violation shapes:PrefectureShape-jisCode sh:MaxCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "02" .
}
