# A listing whose provider is a unit, not an org:Organization.
# expect: Violation shapes:ListingShape-provider sh:ClassConstraintComponent id:listing/kita-1
PREFIX schema: <https://schema.org/>
DELETE { <https://w3id.org/seirei/id/listing/kita-1> schema:provider <https://w3id.org/seirei/id/organization/kita-association> }
INSERT { <https://w3id.org/seirei/id/listing/kita-1> schema:provider <https://w3id.org/seirei/id/unit/kita-division> }
WHERE { <https://w3id.org/seirei/id/listing/kita-1> schema:provider <https://w3id.org/seirei/id/organization/kita-association> }
