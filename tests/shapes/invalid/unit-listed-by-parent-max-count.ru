# A unit listed by two parents (the government lists it as one of its units, both ways).
# expect: Violation shapes:UnitShape-listedByParent sh:MaxCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita> org:hasSubOrganization <https://w3id.org/seirei/id/unit/kita-division> ;
        org:hasUnit <https://w3id.org/seirei/id/unit/kita-division> .
}
