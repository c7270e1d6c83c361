# Two units that are each other's parent (and list each other): the chain of parents
# loops and never reaches a city government. Both units are focus nodes.
# expect: Violation shapes:UnitShape-chain sh:QualifiedMinCountConstraintComponent id:unit/kita-bureau
# expect: Violation shapes:UnitShape-chain sh:QualifiedMinCountConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-bureau> org:unitOf <https://w3id.org/seirei/id/government/kita> ; org:subOrganizationOf <https://w3id.org/seirei/id/government/kita> . <https://w3id.org/seirei/id/government/kita> org:hasUnit <https://w3id.org/seirei/id/unit/kita-bureau> ; org:hasSubOrganization <https://w3id.org/seirei/id/unit/kita-bureau> } ;
INSERT DATA { <https://w3id.org/seirei/id/unit/kita-bureau> org:subOrganizationOf <https://w3id.org/seirei/id/unit/kita-division> . <https://w3id.org/seirei/id/unit/kita-division> org:hasSubOrganization <https://w3id.org/seirei/id/unit/kita-bureau> }
