# A listing with two contact organizations (and no contact unit).
# expect: Violation shapes:ListingShape-contactOrganization sh:MaxCountConstraintComponent id:listing/kita-1
# (the second organization, a contact with no route yet, gets the warning layer's reminder)
# expect: Warning shapes:ContactRouteKnownShape-route sh:MinCountConstraintComponent id:organization/nishi-association
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DELETE DATA { <https://w3id.org/seirei/id/listing/kita-1> seirei:contactUnit <https://w3id.org/seirei/id/unit/kita-division> } ;
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> seirei:contactOrganization <https://w3id.org/seirei/id/organization/kita-association>, <https://w3id.org/seirei/id/organization/nishi-association> .
    <https://w3id.org/seirei/id/organization/nishi-association> a org:Organization ;
        skos:prefLabel "Nishi International Association"@en, "西国際交流協会"@ja ;
        <https://schema.org/url> <https://www.nishi-association.example.org/> .
}
