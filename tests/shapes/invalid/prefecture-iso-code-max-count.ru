# A prefecture with two seirei:iso31662Code values.
# expect: Violation shapes:PrefectureShape-isoCode sh:MaxCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> seirei:iso31662Code "JP-02" .
}
