# A prefecture without its seirei:jisPrefectureCode.
# expect: Violation shapes:PrefectureShape-jisCode sh:MinCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "01" }
