# A malformed seirei:jisPrefectureCode.
# expect: Violation shapes:PrefectureShape-jisCode sh:PatternConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "01" }
INSERT { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "1" }
WHERE { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "01" }
