# A contact route published by a web page, neither a unit nor an organization.
# expect: Violation shapes:ContactPointShape-owner sh:OrConstraintComponent id:contact-point/kita-living-telephone
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
INSERT DATA {
    <https://w3id.org/seirei/id/web-resource/kita-living> schema:contactPoint <https://w3id.org/seirei/id/contact-point/kita-living-telephone> .
    <https://w3id.org/seirei/id/contact-point/kita-living-telephone> schema:telephone "+81-11-211-2033" ;
        prov:wasDerivedFrom <https://www.kita.example.org/living/> ;
        seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/verified> ;
        seirei:sourceCitation "https://www.kita.example.org/living/" .
}
