# A city without a local government code.
# expect: Violation shapes:CityShape-dantaiCode sh:MinCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE DATA { <https://w3id.org/seirei/id/city/kita> seirei:dantaiCode "011002" }
