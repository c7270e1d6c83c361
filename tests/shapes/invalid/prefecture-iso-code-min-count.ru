# A prefecture without its seirei:iso31662Code.
# expect: Violation shapes:PrefectureShape-isoCode sh:MinCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/prefecture/minami> seirei:iso31662Code "JP-01" }
