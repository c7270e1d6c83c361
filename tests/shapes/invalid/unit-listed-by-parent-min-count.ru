# A unit that no parent lists with org:hasSubOrganization.
# expect: Violation shapes:UnitShape-listedByParent sh:MinCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-bureau> org:hasSubOrganization <https://w3id.org/seirei/id/unit/kita-division> }
