# A prefecture without its local government code.
# expect: Violation shapes:PrefectureShape-dantaiCode sh:MinCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/prefecture/minami> seirei:dantaiCode "010006" }
