# A unit that is org:unitOf another unit: ORG gives org:unitOf the range org:FormalOrganization,
# so a reasoner would make the parent unit a formal organization.
# expect: Violation shapes:UnitShape-unitOf sh:ClassConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA { <https://w3id.org/seirei/id/unit/kita-division> org:unitOf <https://w3id.org/seirei/id/unit/kita-bureau> }
