# Two English names for one unit.
# expect: Violation shapes:NamedShape-name sh:UniqueLangConstraintComponent id:unit/kita-division
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
    <https://w3id.org/seirei/id/unit/kita-division> skos:prefLabel "International Affairs Division"@en .
}
