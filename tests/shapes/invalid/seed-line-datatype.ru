# A source line number typed xsd:integer instead of xsd:positiveInteger.
# expect: Violation shapes:SeedLineShape-line sh:DatatypeConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { <https://w3id.org/seirei/id/city/kita> seirei:seedLine "4"^^xsd:positiveInteger }
INSERT { <https://w3id.org/seirei/id/city/kita> seirei:seedLine "4"^^xsd:integer }
WHERE { <https://w3id.org/seirei/id/city/kita> seirei:seedLine "4"^^xsd:positiveInteger }
