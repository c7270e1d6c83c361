# A unit whose parent is neither a unit nor a city government (an untyped node that
# is itself a unit of the government, so the chain still reaches one).
# expect: Violation shapes:UnitShape-parent sh:OrConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-bureau> }
INSERT { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-ghost> . <https://w3id.org/seirei/id/unit/kita-ghost> org:subOrganizationOf <https://w3id.org/seirei/id/government/kita> }
WHERE { <https://w3id.org/seirei/id/unit/kita-division> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-bureau> }
