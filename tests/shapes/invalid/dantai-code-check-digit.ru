# A prefecture code whose check digit is wrong (010006 is right).
# expect: Violation shapes:DantaiCodeShape sh:SPARQLConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/prefecture/minami> seirei:dantaiCode "010006" }
INSERT { <https://w3id.org/seirei/id/prefecture/minami> seirei:dantaiCode "010007" }
WHERE { <https://w3id.org/seirei/id/prefecture/minami> seirei:dantaiCode "010006" }
