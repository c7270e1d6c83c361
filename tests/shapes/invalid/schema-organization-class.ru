# A schema:Organization not typed org:Organization.
# expect: Violation shapes:SchemaOrganizationShape sh:ClassConstraintComponent id:organization/club
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
INSERT DATA {
    <https://w3id.org/seirei/id/organization/club> a schema:Organization ;
        skos:prefLabel "Kita Club"@en, "北クラブ"@ja .
}
