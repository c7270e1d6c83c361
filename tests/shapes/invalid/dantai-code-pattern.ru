# A local government code of five digits (the check digit query skips it).
# expect: Violation shapes:DantaiCodeShape-form sh:PatternConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011002" }
INSERT { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "01100" }
WHERE { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011002" }
