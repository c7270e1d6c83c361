# A malformed seirei:iso31662Code.
# expect: Violation shapes:PrefectureShape-isoCode sh:PatternConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/prefecture/minami> seirei:iso31662Code "JP-01" }
INSERT { <https://w3id.org/seirei/id/prefecture/minami> seirei:iso31662Code "JP-1" }
WHERE { <https://w3id.org/seirei/id/prefecture/minami> seirei:iso31662Code "JP-01" }
