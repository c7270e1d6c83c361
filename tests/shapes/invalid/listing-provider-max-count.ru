# A listing with two providers.
# expect: Violation shapes:ListingShape-provider sh:MaxCountConstraintComponent id:listing/kita-1
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
INSERT DATA {
    <https://w3id.org/seirei/id/listing/kita-1> schema:provider <https://w3id.org/seirei/id/organization/nishi-association> .
    <https://w3id.org/seirei/id/organization/nishi-association> a org:Organization ;
        skos:prefLabel "Nishi International Association"@en, "西国際交流協会"@ja ;
        <https://schema.org/url> <https://www.nishi-association.example.org/> .
}
