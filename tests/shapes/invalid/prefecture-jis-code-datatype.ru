# A seirei:jisPrefectureCode typed xsd:token instead of xsd:string.
# expect: Violation shapes:PrefectureShape-jisCode sh:DatatypeConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "01" }
INSERT { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "01"^^xsd:token }
WHERE { <https://w3id.org/seirei/id/prefecture/minami> seirei:jisPrefectureCode "01" }
