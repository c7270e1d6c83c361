# A chain of parents that ends at something that is not a city government (an untyped
# node). The unit's own parent is then neither a unit nor a government, so the parent's
# sh:or reports it too: a chain can only end elsewhere where some unit's parent is wrong.
# expect: Violation shapes:UnitShape-chain sh:QualifiedMinCountConstraintComponent id:unit/kita-division
# expect: Violation shapes:UnitShape-parent sh:OrConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-bureau> }
INSERT { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-ghost> }
WHERE { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-bureau> }
