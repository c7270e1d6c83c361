# A unit of two parents (a unit and a government).
# expect: Violation shapes:UnitShape-parent sh:MaxCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
INSERT DATA {
    <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/government/kita> .
}
