# A unit with a Japanese name only.
# expect: Violation shapes:NamedShape-englishName sh:QualifiedMinCountConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-division> skos:prefLabel "International Division"@en }
