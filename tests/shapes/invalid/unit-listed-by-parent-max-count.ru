# A unit listed by two parents.
# expect: Violation shapes:UnitShape-listedByParent sh:MaxCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/government/kita> org:hasUnit <https://w3id.org/seirei/id/unit/kita-division> .
}
