# A listing with two contact units.
# expect: Violation shapes:ListingShape-contactUnit sh:MaxCountConstraintComponent id:listing/kita-1
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> seirei:contactUnit <https://w3id.org/seirei/id/unit/kita-bureau> .
}
