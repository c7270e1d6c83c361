# A city government that is a unit of something.
# expect: Violation shapes:CityGovernmentShape-noParent sh:MaxCountConstraintComponent id:government/kita
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita> org:unitOf <https://w3id.org/seirei/id/prefecture/minami> .
}
