# A unit listing something that is not a unit.
# expect: Violation shapes:HasUnitShape-units sh:ClassConstraintComponent id:unit/kita-bureau
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/unit/kita-bureau> org:hasSubOrganization <https://w3id.org/seirei/id/web-resource/kita-living> .
}
