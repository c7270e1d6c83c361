# A local government code typed xsd:token instead of xsd:string.
# expect: Violation shapes:DantaiCodeShape-form sh:DatatypeConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011002" }
INSERT { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011002"^^xsd:token }
WHERE { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011002" }
