# A government listing with org:hasUnit something that is not a unit (and not its sub-organization).
# expect: Violation shapes:HasUnitShape-unitsOfGovernment sh:ClassConstraintComponent id:government/kita
# expect: Violation shapes:HasUnitShape-unitsOfGovernment sh:EqualsConstraintComponent id:government/kita
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita> org:hasUnit <https://w3id.org/seirei/id/web-resource/kita-living> .
}
