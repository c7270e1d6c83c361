# A city government that is a sub-organization of something.
# expect: Violation shapes:CityGovernmentShape-noParent sh:MaxCountConstraintComponent id:government/kita
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita> org:subOrganizationOf <https://w3id.org/seirei/id/prefecture/minami> .
}
