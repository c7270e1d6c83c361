# A government listing something that is not a unit.
# expect: Violation shapes:HasUnitShape-units sh:ClassConstraintComponent id:government/kita
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita> org:hasUnit <https://w3id.org/seirei/id/web-resource/kita-living> .
}
