# A unit of nothing. Its chain of parents is then empty too, so the chain
# constraint reports it as well: a unit without a parent cannot reach a government.
# expect: Violation shapes:UnitShape-parent sh:MinCountConstraintComponent id:unit/kita-division
# expect: Violation shapes:UnitShape-chain sh:QualifiedMinCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-bureau> }
