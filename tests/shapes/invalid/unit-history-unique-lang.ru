# A unit with two English history notes.
# expect: Violation shapes:UnitShape-history sh:UniqueLangConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { <https://w3id.org/seirei/id/unit/kita-division> skos:historyNote "Moved in 2021."@en, "Renamed in 2022."@en }
