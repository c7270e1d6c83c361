# A curated row reference typed xsd:token instead of xsd:string.
# expect: Violation shapes:SourceRowShape-row sh:DatatypeConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:2" }
INSERT { <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:2"^^xsd:token }
WHERE { <https://w3id.org/seirei/id/city/kita> seirei:sourceRow "cities.csv:2" }
