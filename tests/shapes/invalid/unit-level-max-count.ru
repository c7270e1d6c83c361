# A unit with two levels.
# expect: Violation shapes:UnitShape-level sh:MaxCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/unit/kita-division> org:classification <https://w3id.org/seirei/vocab/unit-level/section> .
}
