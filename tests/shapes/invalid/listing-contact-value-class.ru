# A listing whose contact value is a web page.
# expect: Violation shapes:ListingShape-contactValue sh:ClassConstraintComponent id:listing/kita-1
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> seirei:contactValue <https://w3id.org/seirei/id/web-resource/kita-living> .
}
