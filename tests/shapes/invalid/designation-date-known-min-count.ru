# A city whose designation date is unknown (warning layer).
# expect: Warning shapes:DesignationDateKnownShape-date sh:MinCountConstraintComponent id:city/kita
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE DATA { <https://w3id.org/seirei/id/city/kita> seirei:designationDate "1972-04-01"^^xsd:date }
