# A city government with no city (dcterms:spatial).
# expect: Violation shapes:CityGovernmentShape-city sh:MinCountConstraintComponent id:government/orphan
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cv: <http://data.europa.eu/m8g/>
INSERT DATA {
    <https://w3id.org/seirei/id/government/orphan> a cv:PublicOrganisation ;
        <https://schema.org/url> <https://www.city.orphan.example.org/> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <https://www.city.orphan.example.org/> ;
        <https://w3id.org/seirei/ontology#sourceCitation> "https://www.city.orphan.example.org/" ;
        skos:prefLabel "Orphan City government"@en, "孤市"@ja .
}
