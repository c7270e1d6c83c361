# A listing whose rdfs:seeAlso is not a schema:WebPage.
# expect: Violation shapes:ListingShape-webResource sh:ClassConstraintComponent id:listing/kita-1
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> rdfs:seeAlso <https://www.kita.example.org/other/> .
}
