# A city printed on two lines of the source table.
# expect: Violation shapes:SeedLineShape-line sh:MaxCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {
    <https://w3id.org/seirei/id/city/kita> seirei:seedLine "5"^^xsd:positiveInteger .
}
