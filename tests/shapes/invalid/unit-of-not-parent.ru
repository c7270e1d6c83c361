# A unit whose org:unitOf is a city government other than its parent.
# expect: Violation shapes:UnitOfShape-parent sh:EqualsConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA { <https://w3id.org/seirei/id/unit/kita-division> org:unitOf <https://w3id.org/seirei/id/government/kita> }
