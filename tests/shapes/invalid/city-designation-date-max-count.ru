# A city with two designation dates.
# expect: Violation shapes:CityShape-designationDate sh:MaxCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {
    <https://w3id.org/seirei/id/city/kita> seirei:designationDate "1973-04-01"^^xsd:date .
}
