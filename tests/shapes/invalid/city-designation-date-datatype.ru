# A designation date given as a plain string.
# expect: Violation shapes:CityShape-designationDate sh:DatatypeConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { <https://w3id.org/seirei/id/city/kita> seirei:designationDate "1972-04-01"^^xsd:date }
INSERT { <https://w3id.org/seirei/id/city/kita> seirei:designationDate "1972-04-01" }
WHERE { <https://w3id.org/seirei/id/city/kita> seirei:designationDate "1972-04-01"^^xsd:date }
