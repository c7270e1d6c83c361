# A unit's history note without a language.
# expect: Violation shapes:UnitShape-history sh:DatatypeConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { <https://w3id.org/seirei/id/unit/kita-division> skos:historyNote "Moved to the Citizens Bureau in 2021." }
