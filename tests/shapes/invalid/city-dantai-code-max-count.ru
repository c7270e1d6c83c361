# A city with two (valid) local government codes.
# expect: Violation shapes:CityShape-dantaiCode sh:MaxCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011011" .
}
