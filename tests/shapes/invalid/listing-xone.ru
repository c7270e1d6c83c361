# A listing with both a contact unit and a contact organization.
# expect: Violation shapes:ListingShape sh:XoneConstraintComponent id:listing/kita-1
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> seirei:contactOrganization <https://w3id.org/seirei/id/organization/kita-association> .
}
