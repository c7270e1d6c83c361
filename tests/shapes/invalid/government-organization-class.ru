# A schema:GovernmentOrganization not typed cv:PublicOrganisation.
# expect: Violation shapes:GovernmentOrganizationShape sh:ClassConstraintComponent id:organization/ministry
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/organization/ministry> a schema:GovernmentOrganization ;
        skos:prefLabel "Some Ministry"@en, "某省"@ja .
}
