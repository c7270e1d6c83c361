# A listing whose contact unit is an organization, not a unit.
# expect: Violation shapes:ListingShape-contactUnit sh:ClassConstraintComponent id:listing/kita-1
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/listing/kita-1> seirei:contactUnit <https://w3id.org/seirei/id/unit/kita-division> }
INSERT { <https://w3id.org/seirei/id/listing/kita-1> seirei:contactUnit <https://w3id.org/seirei/id/organization/kita-association> }
WHERE { <https://w3id.org/seirei/id/listing/kita-1> seirei:contactUnit <https://w3id.org/seirei/id/unit/kita-division> }
